/**
 * Create a synthesized task set and its synthesis.run job in ONE transaction, so there is
 * never a set without its job or a job without its set. Kept apart from job.ts because it
 * imports the queue, which imports the job registry, which imports job.ts.
 */
import type { Db } from "../../db/client";
import type { JobRow, TaskSetRow } from "../../db/schema";
import { enqueueJob } from "../jobs/queue";
import { SYNTHESIS_JOB, type SynthesisJobPayload } from "./job";
import { createTaskSet, updateTaskSetStatus } from "./job-store";
import type { SynthesisConfig } from "./config";

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
        config: input.config as unknown as Record<string, unknown>,
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
