/**
 * Compact summary row per rollout, read by lists (100k rows per experiment is normal);
 * message bodies live in rollout_messages and load only in detail views.
 * Indexes serve keyset pagination (experiment, created_at, id) and the list filters.
 */
import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt } from "./columns";
import { experiments } from "./experiments";
import { groups } from "./groups";

export const rolloutStatuses = ["running", "done", "error"] as const;

export const rollouts = sqliteTable(
  "rollouts",
  {
    /** "r-…" as in the rollout JSON. */
    id: text("id").primaryKey(),
    experimentId: integer("experiment_id")
      .notNull()
      .references(() => experiments.id, { onDelete: "cascade" }),
    groupId: text("group_id")
      .notNull()
      .references(() => groups.id, { onDelete: "cascade" }),
    taskId: text("task_id").notNull(),
    sampleIndex: integer("sample_index").notNull(),
    status: text("status", { enum: rolloutStatuses }).notNull().default("running"),
    /** 0 | 1 once finished. */
    outcome: integer("outcome"),
    reward: real("reward"),
    termination: text("termination", {
      enum: ["user_stop", "agent_stop", "max_turns", "too_many_errors", "error"],
    }),
    turns: integer("turns").notNull().default(0),
    promptTokens: integer("prompt_tokens").notNull().default(0),
    completionTokens: integer("completion_tokens").notNull().default(0),
    writes: integer("writes"),
    evidenceTotal: integer("evidence_total"),
    /** B of the task's grid cell (evidence per decision), for the W × B heatmap. */
    evidenceCell: integer("evidence_cell"),
    behavior: text("behavior"),
    /** The simulated agent preset of this sample (mixed-preset experiments), else null. */
    preset: text("preset"),
    /** checkPolicy result, computed once when the rollout is finalised (diagnostics). */
    violations: text("violations", { mode: "json" }).$type<{ rule: string; message: string; turn: number; messageIndex: number }[]>(),
    violationCount: integer("violation_count"),
    errorCount: integer("error_count").notNull().default(0),
    /** Anything else from the rollout JSON's metadata (agent/user labels …). */
    metadata: text("metadata", { mode: "json" }).$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    finishedAt: integer("finished_at"),
  },
  (t) => [
    index("rollouts_exp_created_idx").on(t.experimentId, t.createdAt, t.id),
    index("rollouts_exp_outcome_idx").on(t.experimentId, t.outcome),
    index("rollouts_exp_task_idx").on(t.experimentId, t.taskId, t.sampleIndex),
    index("rollouts_exp_wb_idx").on(t.experimentId, t.writes, t.evidenceTotal),
    index("rollouts_exp_behavior_idx").on(t.experimentId, t.behavior),
    index("rollouts_exp_termination_idx").on(t.experimentId, t.termination),
    index("rollouts_group_idx").on(t.groupId, t.sampleIndex),
    index("rollouts_exp_status_idx").on(t.experimentId, t.status),
  ],
);

export type RolloutRow = typeof rollouts.$inferSelect;
export type NewRolloutRow = typeof rollouts.$inferInsert;
