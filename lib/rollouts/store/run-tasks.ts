/**
 * Experiment ↔ task set plumbing shared by createExperiment, the rollouts.run job and the
 * importer: deterministic ids and group rows. Deliberately free of the job queue import,
 * so the job module can use it without an import cycle through the job registry.
 */
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { experiments, groups, taskSets, tasks, type ExperimentRow, type TaskRow } from "../../../db/schema";
import { AIRLINE_POLICY, DEFAULT_STATE_SEED, getGeneratedState, type AirlineState } from "../../airline";
import { loadEnvironment } from "../../environment-sources/load";
import { taskColumns } from "../../synthesis-runs/store";
import type { Task } from "../../types/task";

/** One group per task: `g-<experiment>-<position>`; position = the task's order in the run. */
export function groupIdFor(experimentId: number, position: number): string {
  return `g-${experimentId}-${position}`;
}

/** Deterministic, URL-safe: a retried or taken-over job can never create a second copy. */
export function rolloutIdFor(experimentId: number, position: number, sampleIndex: number): string {
  return `r-${experimentId}-${position}-${sampleIndex}`;
}

export type TaskRef = Pick<TaskRow, "taskId" | "writes" | "evidenceTotal" | "evidenceCell" | "behavior">;

/**
 * The set's tasks in a stable order (insertion id), optionally only some ids. The ids go in
 * as one JSON parameter read by json_each, not one SQL variable each: SQLite refuses more
 * than 32,766 variables in a statement, and a chunked IN would lose the single ORDER BY.
 */
export function listRunTasks(db: DbOrTx, taskSetId: number, taskIds?: readonly string[] | null): TaskRef[] {
  const where = taskIds?.length
    ? and(eq(tasks.taskSetId, taskSetId), sql`${tasks.taskId} IN (SELECT value FROM json_each(${JSON.stringify(taskIds)}))`)
    : eq(tasks.taskSetId, taskSetId);
  return db
    .select({ taskId: tasks.taskId, writes: tasks.writes, evidenceTotal: tasks.evidenceTotal, evidenceCell: tasks.evidenceCell, behavior: tasks.behavior })
    .from(tasks)
    .where(where)
    .orderBy(asc(tasks.id))
    .all();
}

export function loadTaskBodies(db: DbOrTx, taskSetId: number, taskIds: readonly string[]): Map<string, Task> {
  const out = new Map<string, Task>();
  const CHUNK = 500;
  for (let i = 0; i < taskIds.length; i += CHUNK) {
    const rows = db
      .select({ taskId: tasks.taskId, body: tasks.body })
      .from(tasks)
      .where(and(eq(tasks.taskSetId, taskSetId), inArray(tasks.taskId, taskIds.slice(i, i + CHUNK))))
      .all();
    for (const r of rows) out.set(r.taskId, r.body);
  }
  return out;
}

/** W / B-total / cell B / behaviour of a task body (for imported tasks that have no row). */
export function taskRefOf(task: Task): TaskRef {
  const c = taskColumns(task);
  return { taskId: task.id, writes: c.writes, evidenceTotal: c.evidenceTotal, evidenceCell: c.evidenceCell, behavior: c.behavior };
}

/** Insert the experiment's groups (idempotent) and set rollouts_total. */
export function insertGroups(db: DbOrTx, experiment: Pick<ExperimentRow, "id" | "groupSize">, refs: readonly TaskRef[]): void {
  const CHUNK = 200;
  for (let i = 0; i < refs.length; i += CHUNK) {
    const rows = refs.slice(i, i + CHUNK).map((t, k) => ({
      id: groupIdFor(experiment.id, i + k),
      experimentId: experiment.id,
      taskId: t.taskId,
      position: i + k,
      size: experiment.groupSize,
      writes: t.writes,
      evidenceTotal: t.evidenceTotal,
      evidenceCell: t.evidenceCell,
      behavior: t.behavior,
    }));
    if (rows.length) db.insert(groups).values(rows).onConflictDoNothing().run();
  }
  db.update(experiments)
    .set({ rolloutsTotal: refs.length * experiment.groupSize, updatedAt: Date.now() })
    .where(eq(experiments.id, experiment.id))
    .run();
}

export interface Scoring {
  /** The base state a task is scored (and run) against. */
  baseFor(task: Task): AirlineState;
  policy: string;
}

/** The task set's environment (lib/environment-sources) when it has one, else the generated state of each task's writ.state_seed. */
export function resolveScoring(db: DbOrTx, taskSetId: number | null): Scoring {
  const set = taskSetId !== null ? db.select().from(taskSets).where(eq(taskSets.id, taskSetId)).get() : undefined;
  if (set?.environmentId != null) {
    const { env } = loadEnvironment(db, set.environmentId);
    return { baseFor: () => env.state, policy: env.policy };
  }
  return { baseFor: (task) => getGeneratedState(task.writ?.state_seed ?? DEFAULT_STATE_SEED), policy: AIRLINE_POLICY };
}
