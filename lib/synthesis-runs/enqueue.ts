/**
 * Create a synthesized task set and its synthesis.run job in ONE transaction, so there is
 * never a set without its job or a job without its set. Kept apart from ./handler.ts: the API
 * enqueues (with the light payload schema, lib/jobs/payloads.ts) and never loads the handler.
 */
import type { Db } from "../../db/client";
import type { JobRow, TaskSetRow } from "../../db/schema";
import { enqueueJob } from "../jobs/store/enqueue";
import { SYNTHESIS_JOB } from "../jobs/names";
import type { SynthesisJobPayload } from "../jobs/payloads";
import { createTaskSet, updateTaskSetStatus } from "./store";
import type { SynthesisConfig } from "../synthesis/config";

export function createSynthesisTaskSet(
  db: Db,
  input: { name: string; environmentId: number | null; config: SynthesisConfig },
): { set: TaskSetRow; job: JobRow } {
  return db.transaction(
    (tx) => {
      const set = createTaskSet(tx, {
        name: input.name,
        environmentId: input.environmentId,
        source: "synthesized",
        config: input.config,
        status: "queued",
      });
      const payload: SynthesisJobPayload = {
        task_set_id: set.id,
        task_set_name: input.name,
        environment_id: input.environmentId,
        config: input.config,
      };
      const job = enqueueJob(tx, SYNTHESIS_JOB, payload);
      updateTaskSetStatus(tx, set.id, "queued", { jobId: job.id });
      return { set: { ...set, jobId: job.id }, job };
    },
    { behavior: "immediate" },
  );
}
