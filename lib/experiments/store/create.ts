/**
 * The write of createExperiment (../create-experiment.ts): the experiment row, its groups and
 * its rollouts.run job in ONE immediate transaction (never an experiment without its job,
 * nor a job without its experiment). The input is already validated by the caller; what only
 * the database can tell (the task set and endpoints exist, the set is ready, the task ids
 * are in it) is checked here, inside the transaction, with errors naming the field.
 */
import { eq } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { getEndpoint } from "../../../db/queries/model-endpoints";
import { experiments, taskSets, type ExperimentRow, type JobRow } from "../../../db/schema";
import { ConflictError, ValidationError } from "../../errors/app-error";
import { enqueueJob } from "../../jobs/store/enqueue";
import { ROLLOUTS_RUN_JOB } from "../../jobs/names";
import type { AgentInput, CreateExperimentInput, UserInput } from "../schemas";
import { insertGroups, listRunTasks } from "../../rollouts/store/run-tasks";

export interface CreateExperimentOptions {
  /** Allow a task set that is still being synthesized: the job waits for it and creates the groups then (demo). */
  allowPendingTaskSet?: boolean;
  metadata?: Record<string, unknown>;
}

function checkEndpoint(db: DbOrTx, cfg: AgentInput | UserInput, side: "agent" | "user"): void {
  if (cfg.kind === "openai" && cfg.endpoint_id !== undefined && !getEndpoint(db, cfg.endpoint_id)) {
    throw new ValidationError(`${side}.endpoint_id: model endpoint ${cfg.endpoint_id} not found`, `${side}.endpoint_id`);
  }
}

export function insertExperimentWithJob(db: DbOrTx, input: CreateExperimentInput, options: CreateExperimentOptions = {}): { experiment: ExperimentRow; job: JobRow } {
  return db.transaction(
    (tx) => {
      const set = tx.select().from(taskSets).where(eq(taskSets.id, input.task_set_id)).get();
      if (!set) throw new ValidationError(`task_set_id: task set ${input.task_set_id} not found`, "task_set_id");
      checkEndpoint(tx, input.agent, "agent");
      checkEndpoint(tx, input.user, "user");
      const pending = set.status === "queued" || set.status === "running";
      if (pending && !options.allowPendingTaskSet) {
        throw new ConflictError(`task set ${set.id} is still being synthesized (${set.status}); launch it once it is ready`);
      }
      if (set.status === "failed" || set.status === "cancelled") {
        throw new ConflictError(`task set ${set.id} is ${set.status}: it has no tasks to run`);
      }
      const refs = pending ? [] : listRunTasks(tx, set.id, input.task_ids);
      if (!pending) {
        if (input.task_ids) {
          const known = new Set(refs.map((r) => r.taskId));
          const missing = input.task_ids.find((id) => !known.has(id));
          if (missing !== undefined) throw new ValidationError(`task_ids: task "${missing}" is not in task set ${set.id}`, "task_ids");
        }
        if (refs.length === 0) throw new ValidationError(`task_set_id: task set ${set.id} has no tasks`, "task_set_id");
      }
      const experiment = tx
        .insert(experiments)
        .values({
          name: input.name,
          taskSetId: set.id,
          agentConfig: input.agent as Record<string, unknown>,
          userConfig: input.user as Record<string, unknown>,
          groupSize: input.group_size,
          maxTurns: input.max_turns,
          maxErrors: input.max_errors,
          temperature: input.temperature,
          seed: input.seed,
          concurrency: input.concurrency,
          taskIds: input.task_ids ?? null,
          status: "queued",
          source: "run",
          metadata: options.metadata ?? null,
        })
        .returning()
        .get();
      if (!pending) insertGroups(tx, experiment, refs);
      const job = enqueueJob(tx, ROLLOUTS_RUN_JOB, { experiment_id: experiment.id });
      tx.update(experiments).set({ jobId: job.id }).where(eq(experiments.id, experiment.id)).run();
      return {
        experiment: { ...experiment, jobId: job.id, rolloutsTotal: refs.length * experiment.groupSize },
        job,
      };
    },
    { behavior: "immediate" },
  );
}
