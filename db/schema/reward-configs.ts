/**
 * Reward config versions, immutable once written (no update path): each calibration
 * iteration inserts a child of the version it started from (parent_id).
 */
import { type AnySQLiteColumn, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt } from "./columns";
import { experiments } from "./experiments";

export const rewardConfigs = sqliteTable(
  "reward_configs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    experimentId: integer("experiment_id").references(() => experiments.id, { onDelete: "cascade" }),
    parentId: integer("parent_id").references((): AnySQLiteColumn => rewardConfigs.id, { onDelete: "set null" }),
    config: text("config", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    /** Hash of the canonical config JSON, to spot identical versions. */
    hash: text("hash").notNull(),
    note: text("note"),
    /** Analysis figures computed with this version (rho per tier, dead-turn %, …). */
    metrics: text("metrics", { mode: "json" }).$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [
    index("reward_configs_experiment_idx").on(t.experimentId, t.createdAt),
    index("reward_configs_hash_idx").on(t.hash),
  ],
);

export type RewardConfigRow = typeof rewardConfigs.$inferSelect;
export type NewRewardConfigRow = typeof rewardConfigs.$inferInsert;
