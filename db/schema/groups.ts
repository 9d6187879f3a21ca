/** The G rollouts of one task inside an experiment (the unit of group-relative advantages). */
import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
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
    size: integer("size").notNull(),
    done: integer("done").notNull().default(0),
    passed: integer("passed").notNull().default(0),
    meanReward: real("mean_reward"),
    createdAt: createdAt(),
  },
  (t) => [index("groups_experiment_task_idx").on(t.experimentId, t.taskId)],
);

export type GroupRow = typeof groups.$inferSelect;
export type NewGroupRow = typeof groups.$inferInsert;
