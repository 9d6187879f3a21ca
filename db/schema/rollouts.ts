/**
 * Compact summary row per rollout, read by lists (100k rows per experiment is normal);
 * message bodies live in rollout_messages and load only in detail views.
 * Indexes serve keyset pagination (experiment, created_at, id) and the list filters.
 */
import { sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
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
    /**
     * Training runs only (null otherwise). `step`/`split` are copied from the group so per-step
     * aggregates scan one index without a join. The client's trajectory id (unique per run) and
     * the sha256 of the trajectory's canonical content. The trainer's own numbers sit beside
     * WRIT Lab's (outcome/reward above are always WRIT Lab's evaluator): reward, reward
     * components ({name: number}), trajectory advantage and per-turn advantages (JSON array,
     * index k = the k-th agent turn, the numbering of the class blobs and the RL export).
     */
    step: integer("step"),
    split: text("split", { enum: ["train", "eval"] }),
    externalId: text("external_id"),
    contentHash: text("content_hash"),
    trainerReward: real("trainer_reward"),
    trainerRewardComponents: text("trainer_reward_components", { mode: "json" }).$type<Record<string, number>>(),
    trainerAdvantage: real("trainer_advantage"),
    trainerTurnAdvantages: text("trainer_turn_advantages", { mode: "json" }).$type<(number | null)[]>(),
    /**
     * Imports only (null otherwise): the reward the file recorded and the reward WRIT Lab's
     * evaluator gives the same trajectory (null when it could not be re-scored: no base
     * state or task); `reward`/`outcome` above are the recomputed ones when present.
     */
    recordedReward: real("recorded_reward"),
    recomputedReward: real("recomputed_reward"),
    /** Imports only: the file's own trial number (τ² `trial`), as recorded; sample_index is 0..n-1 in the group. */
    sourceTrial: integer("source_trial"),
    /** Imports only: recorded tool outputs that differ from the environment's on replay (null: not compared). */
    toolOutputDiffs: integer("tool_output_diffs"),
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
    uniqueIndex("rollouts_exp_external_uq").on(t.experimentId, t.externalId).where(sql`external_id IS NOT NULL`),
    /** Per-step aggregates of a training run (pass rate, trainer reward/advantage) from one index range. */
    index("rollouts_exp_step_idx").on(t.experimentId, t.step, t.outcome),
  ],
);

export type RolloutRow = typeof rollouts.$inferSelect;
export type NewRolloutRow = typeof rollouts.$inferInsert;
