/** The G rollouts of one task inside an experiment (the unit of group-relative advantages). */
import { sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt } from "./columns";
import { experiments } from "./experiments";

export const groups = sqliteTable(
  "groups",
  {
    /** "g-…" as in the rollout JSON. */
    id: text("id").primaryKey(),
    experimentId: integer("experiment_id")
      .notNull()
      .references(() => experiments.id, { onDelete: "cascade" }),
    taskId: text("task_id").notNull(),
    /** Task order within the experiment: the keyset of the groups list. */
    position: integer("position").notNull().default(0),
    /** WRIT axes copied from the task so group lists filter without joining tasks. */
    writes: integer("writes"),
    evidenceTotal: integer("evidence_total"),
    evidenceCell: integer("evidence_cell"),
    behavior: text("behavior"),
    size: integer("size").notNull(),
    done: integer("done").notNull().default(0),
    passed: integer("passed").notNull().default(0),
    meanReward: real("mean_reward"),
    /**
     * Training runs only (null for run/import experiments): the trainer's step, split, policy
     * version, the client's group id (unique per run: the ingestion natural key) and the sha256
     * of the group's canonical content (same key + same hash = replay no-op; other hash = 409).
     */
    step: integer("step"),
    split: text("split", { enum: ["train", "eval"] }),
    policyVersion: integer("policy_version"),
    externalId: text("external_id"),
    contentHash: text("content_hash"),
    createdAt: createdAt(),
  },
  (t) => [
    index("groups_experiment_task_idx").on(t.experimentId, t.taskId),
    index("groups_experiment_position_idx").on(t.experimentId, t.position),
    index("groups_experiment_wb_idx").on(t.experimentId, t.writes, t.evidenceCell, t.position),
    uniqueIndex("groups_experiment_external_uq").on(t.experimentId, t.externalId).where(sql`external_id IS NOT NULL`),
    /** Timeline and step-range slices: groups of a run by step (training runs only). */
    index("groups_experiment_step_idx").on(t.experimentId, t.step, t.position),
  ],
);

export type GroupRow = typeof groups.$inferSelect;
export type NewGroupRow = typeof groups.$inferInsert;
