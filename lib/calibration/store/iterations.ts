/**
 * The reward_configs table: reward-config iterations, immutable once written except for the
 * metrics of a seed placed without them (lib/calibration/iterations.ts says what goes in a row).
 */
import { and, asc, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { rewardConfigs, type RewardConfigRow } from "../../../db/schema";

/** A row's JSON columns: the config and the metrics snapshot, as plain objects. */
export type JsonObject = Record<string, unknown>;

export interface NewIterationRow {
  experimentId: number;
  parentId: number | null;
  config: JsonObject;
  hash: string;
  note: string | null;
  metrics: JsonObject | null;
}

/** The experiment's iterations, oldest first (position + 1 = the iteration's number). */
export function listIterationRows(db: Db, experimentId: number): RewardConfigRow[] {
  return db.select().from(rewardConfigs).where(eq(rewardConfigs.experimentId, experimentId)).orderBy(asc(rewardConfigs.createdAt), asc(rewardConfigs.id)).all();
}

export function insertIterationRow(db: Db, row: NewIterationRow): RewardConfigRow {
  return db.insert(rewardConfigs).values(row).returning().get();
}

/** The metrics of a row that has none yet (a seed placed by seedIterationRows). */
export function fillMissingMetrics(db: Db, id: number, metrics: JsonObject): void {
  db.update(rewardConfigs)
    .set({ metrics })
    .where(and(eq(rewardConfigs.id, id), isNull(rewardConfigs.metrics)))
    .run();
}

/** Insert `row` unless the experiment has an iteration already (checked in the same immediate transaction). */
export function insertFirstIteration(db: Db, row: NewIterationRow): void {
  db.transaction(
    (tx) => {
      const exists = tx.select({ id: rewardConfigs.id }).from(rewardConfigs).where(eq(rewardConfigs.experimentId, row.experimentId)).limit(1).get();
      if (exists) return;
      tx.insert(rewardConfigs).values(row).run();
    },
    { behavior: "immediate" },
  );
}

/**
 * For each listed experiment without an iteration: one without metrics, dated like the
 * experiment. One statement per experiment, all in one immediate transaction; idempotent.
 */
export function insertSeedRows(db: Db, experimentIds: readonly number[], seed: { configJson: string; hash: string; note: string }): void {
  if (!experimentIds.length) return;
  const insert = db.$client.prepare(
    `INSERT INTO reward_configs (experiment_id, parent_id, config, hash, note, metrics, created_at)
     SELECT e.id, NULL, ?, ?, ?, NULL, e.created_at FROM experiments e
      WHERE e.id = ? AND NOT EXISTS (SELECT 1 FROM reward_configs r WHERE r.experiment_id = e.id)`,
  );
  db.$client.transaction(() => {
    for (const id of experimentIds) insert.run(seed.configJson, seed.hash, seed.note, id);
  }).immediate();
}

export function findIterationRow(db: Db, id: number): RewardConfigRow | undefined {
  return db.select().from(rewardConfigs).where(eq(rewardConfigs.id, id)).get();
}

export function iterationRowExists(db: Db, id: number): boolean {
  return db.select({ id: rewardConfigs.id }).from(rewardConfigs).where(eq(rewardConfigs.id, id)).get() !== undefined;
}

/** Some stored iteration with this config hash. */
export function findIterationRowByHash(db: Db, hash: string): RewardConfigRow | undefined {
  return db.select().from(rewardConfigs).where(eq(rewardConfigs.hash, hash)).limit(1).get();
}

/** Newest iterations across experiments. */
export function recentIterationRows(db: Db, limit: number): RewardConfigRow[] {
  return db.select().from(rewardConfigs).orderBy(desc(rewardConfigs.createdAt), desc(rewardConfigs.id)).limit(limit).all();
}

/** The iteration's number in its experiment: how many of its iterations are not newer than it. */
export function countIterationsUpTo(db: Db, row: Pick<RewardConfigRow, "id" | "createdAt"> & { experimentId: number }): number {
  const got = db.$client
    .prepare("SELECT count(*) AS n FROM reward_configs WHERE experiment_id = ? AND (created_at < ? OR (created_at = ? AND id <= ?))")
    .get(row.experimentId, row.createdAt, row.createdAt, row.id) as { n: number };
  return got.n;
}
