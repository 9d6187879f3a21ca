/**
 * The job kinds the queue knows: name, payload schema and how the queue treats them. Data only:
 * a kind's handler lives with its domain and is registered by the worker process
 * (workers/job-handlers.ts), so the API and lib/jobs never load a job's implementation.
 * To add a kind: its name in ./names.ts, its payload schema in ./payloads.ts, an entry here,
 * and its handler in workers/job-handlers.ts.
 */
import type { z } from "zod";
import { DEMO_FAIL_JOB, DEMO_NOOP_JOB, DEMO_SLEEP_JOB, EXPORTS_CREATE_JOB, ROLLOUTS_RUN_JOB, SYNTHESIS_JOB } from "./names";
import {
  demoFailPayloadSchema,
  demoNoopPayloadSchema,
  demoSleepPayloadSchema,
  exportJobPayloadSchema,
  rolloutsRunPayloadSchema,
  synthesisJobPayloadSchema,
} from "./payloads";

export interface JobKind<S extends z.ZodType = z.ZodType> {
  name: string;
  payloadSchema: S;
  /** Attempts before a retryable failure becomes final (default 5). */
  maxAttempts?: number;
  /** May the UI / POST /api/jobs enqueue it? */
  enqueueFromApi?: boolean;
  /**
   * A demo/test job (it does no domain work, only occupies a slot): POST /api/jobs accepts it
   * only when WRIT_ENABLE_TEST_JOBS=1, so a production server cannot be filled with sleeps.
   */
  testOnly?: boolean;
  description?: string;
}

export function defineJobKind<S extends z.ZodType>(kind: JobKind<S>): JobKind<S> {
  if (!/^[a-z][a-z0-9_-]*\.[a-z][a-z0-9_.-]*$/.test(kind.name)) {
    throw new Error(`job name "${kind.name}" must look like domain.verb`);
  }
  return kind;
}

export const demoSleepKind = defineJobKind({
  name: DEMO_SLEEP_JOB,
  description: "Sleeps stepMs per step, reporting progress after each step.",
  enqueueFromApi: true,
  testOnly: true,
  payloadSchema: demoSleepPayloadSchema,
});

export const demoNoopKind = defineJobKind({
  name: DEMO_NOOP_JOB,
  description: "Does nothing but record one step (used to prove exactly-once execution).",
  enqueueFromApi: true,
  testOnly: true,
  payloadSchema: demoNoopPayloadSchema,
});

export const demoFailKind = defineJobKind({
  name: DEMO_FAIL_JOB,
  description: "Fails its first failTimes attempts, retryably or not.",
  enqueueFromApi: true,
  testOnly: true,
  maxAttempts: 3,
  payloadSchema: demoFailPayloadSchema,
});

export const synthesisRunKind = defineJobKind({
  name: SYNTHESIS_JOB,
  description: "Synthesize a task set over the W × B grid (lib/synthesis) and store its tasks and report.",
  maxAttempts: 3,
  payloadSchema: synthesisJobPayloadSchema,
});

export const rolloutsRunKind = defineJobKind({
  name: ROLLOUTS_RUN_JOB,
  description: "Run an experiment's rollouts (every task × group_size samples), saving each message as it happens.",
  maxAttempts: 5,
  payloadSchema: rolloutsRunPayloadSchema,
});

export const exportsCreateKind = defineJobKind({
  name: EXPORTS_CREATE_JOB,
  description: "Write an experiment export (jsonl, τ² results, SFT, RL, tasks) to a file in the data folder, with progress.",
  maxAttempts: 3,
  payloadSchema: exportJobPayloadSchema,
});

export const jobKinds: readonly JobKind[] = [demoSleepKind, demoNoopKind, demoFailKind, synthesisRunKind, rolloutsRunKind, exportsCreateKind];
