/**
 * Every job kind's handler, registered here at the worker's entry point: only the worker
 * process loads job implementations (the API validates payloads with lib/jobs/kinds.ts alone).
 * To add a kind: see lib/jobs/kinds.ts, then append its handler to this list.
 */
import type { JobHandler } from "../lib/jobs/define";
import { demoFail, demoNoop, demoSleep } from "./demo-jobs";
import { synthesisRun } from "../lib/synthesis-runs/handler";
import { rolloutsRun } from "../lib/rollouts/run-job";
import { exportsCreate } from "../lib/exports/job";

const handlers: readonly JobHandler[] = [demoSleep, demoNoop, demoFail, synthesisRun, rolloutsRun, exportsCreate];

/** Handlers by job name (a constant table built once from the list above). */
export const jobHandlers: ReadonlyMap<string, JobHandler> = (() => {
  const map = new Map<string, JobHandler>();
  for (const h of handlers) {
    if (map.has(h.kind.name)) throw new Error(`job "${h.kind.name}" has two handlers`);
    map.set(h.kind.name, h);
  }
  return map;
})();
