/**
 * Policy violations per experiment and rule, kept incrementally: each finalised rollout
 * adds its counts (UPSERT count = count + n) in the same transaction as its summary row,
 * so the overview reads a handful of rows instead of re-checking 100k trajectories.
 */
import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { experiments } from "./experiments";

export const experimentPolicyCounts = sqliteTable(
  "experiment_policy_counts",
  {
    experimentId: integer("experiment_id")
      .notNull()
      .references(() => experiments.id, { onDelete: "cascade" }),
    rule: text("rule").notNull(),
    count: integer("count").notNull().default(0),
    /** Rollouts with at least one violation of this rule. */
    rollouts: integer("rollouts").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.experimentId, t.rule] })],
);

export type ExperimentPolicyCountRow = typeof experimentPolicyCounts.$inferSelect;
