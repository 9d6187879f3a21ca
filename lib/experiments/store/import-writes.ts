/**
 * The writes of an import (../import.ts decides what they hold): the experiment and task set
 * rows, then per rollout the same idempotent statements and counters as the runner
 * (db/queries/rollouts.ts), its stored classification and the import's own columns. All of
 * it runs in the one immediate transaction of `inImportTransaction`; the prepared statements
 * of db/queries/rollouts.ts use the same connection, so they run inside it too.
 */
import { eq, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../../../db/client";
import { finalizeRollout, insertRolloutMessage, insertRolloutStart, type RolloutFinal, type RolloutStart } from "../../../db/queries/rollouts";
import { experiments, taskSets, type ExperimentRow } from "../../../db/schema";
import type { RolloutClassRecord } from "../../calibration/class-store";
import { writeRolloutClass } from "../../calibration/store/class-rows";
import { insertTasks } from "../../synthesis-runs/store";
import type { Message } from "../../types/messages";
import type { Task } from "../../types/task";

export function inImportTransaction<T>(db: Db, fn: (tx: DbOrTx) => T): T {
  return db.transaction(fn, { behavior: "immediate" });
}

export interface ImportedExperimentValues {
  name: string;
  agentLabel: string;
  userLabel: string;
  groupSize: number;
  maxTurns: number;
  maxErrors: number;
  seed: number;
  metadata: Record<string, unknown>;
}

/** The experiment row of an import: source 'import', already completed, no task set yet. */
export function insertImportedExperiment(tx: DbOrTx, v: ImportedExperimentValues): ExperimentRow {
  return tx
    .insert(experiments)
    .values({
      name: v.name,
      taskSetId: null,
      agentConfig: { kind: "import", label: v.agentLabel },
      userConfig: { kind: "import", label: v.userLabel },
      groupSize: v.groupSize,
      maxTurns: v.maxTurns,
      maxErrors: v.maxErrors,
      seed: v.seed,
      status: "completed",
      source: "import",
      metadata: v.metadata,
    })
    .returning()
    .get();
}

/** A ready task set holding the file's tasks; returns its id. */
export function insertImportTaskSet(tx: DbOrTx, v: { name: string; source: "tau2" | "uploaded"; environmentId: number | null }, list: readonly Task[]): number {
  const set = tx
    .insert(taskSets)
    .values({
      name: v.name,
      source: v.source,
      status: "ready",
      taskCount: list.length,
      ...(v.environmentId !== null ? { environmentId: v.environmentId } : {}),
    })
    .returning()
    .get();
  insertTasks(tx, set.id, list);
  return set.id;
}

/** Groups carry the size they really have (an import may be ragged). */
export function setGroupSize(tx: DbOrTx, groupId: string, size: number): void {
  tx.run(sql`UPDATE groups SET size = ${size} WHERE id = ${groupId}`);
}

export function insertImportedRollout(db: Db, start: RolloutStart, messages: readonly Message[]): void {
  insertRolloutStart(db, start);
  messages.forEach((m, idx) => insertRolloutMessage(db, start.id, idx, m));
}

/**
 * Finalises the rollout (counters bumped once) and, when that changed it, stores its
 * classification; then the import's own columns. `violationsKnown` false: the task's base
 * state is unknown, so its violations read "not checked" (null), not "none".
 */
export function finishImportedRollout(
  db: Db,
  tx: DbOrTx,
  final: RolloutFinal,
  classRow: () => RolloutClassRecord,
  check: { violationsKnown: boolean; recordedReward: number; recomputedReward: number | null; sourceTrial: number | null; toolOutputDiffs: number | null },
): void {
  if (finalizeRollout(db, final)) writeRolloutClass(db.$client, classRow());
  if (!check.violationsKnown) tx.run(sql`UPDATE rollouts SET violations = NULL, violation_count = NULL WHERE id = ${final.id}`);
  tx.run(
    sql`UPDATE rollouts SET recorded_reward = ${check.recordedReward}, recomputed_reward = ${check.recomputedReward}, source_trial = ${check.sourceTrial}, tool_output_diffs = ${check.toolOutputDiffs} WHERE id = ${final.id}`,
  );
}

export function finishImportedExperiment(tx: DbOrTx, exp: ExperimentRow, v: { taskSetId: number | null; total: number; now: number; report: unknown }): void {
  tx.update(experiments)
    .set({ taskSetId: v.taskSetId, rolloutsTotal: v.total, startedAt: v.now, finishedAt: v.now, updatedAt: v.now, metadata: { ...(exp.metadata ?? {}), import_report: v.report } })
    .where(eq(experiments.id, exp.id))
    .run();
}
