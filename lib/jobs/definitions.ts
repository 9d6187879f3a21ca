/**
 * Every job type the workers can run. To add one: write it with `defineJob` next to its
 * domain (e.g. lib/rollouts/run-job.ts) and append it to this list.
 */
import type { JobDefinition } from "./define";
import { demoFail, demoNoop, demoSleep } from "./demo-jobs";
import { synthesisRun } from "../synthesis/job";
import { rolloutsRun } from "../rollouts/run-job";
import { exportsCreate } from "../exports/job";

export const jobDefinitions: readonly JobDefinition[] = [demoSleep, demoNoop, demoFail, synthesisRun, rolloutsRun, exportsCreate];
