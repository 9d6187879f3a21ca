/**
 * One τ² task (its JSON kept whole in `body`) plus WRIT metadata copied into columns so
 * lists can filter and sort on them without parsing JSON: W (writes), B-total (sum of
 * evidence), behaviour, and the decision types the task exercises (JSON array of strings).
 */
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Task } from "../../lib/types/task";
import { createdAt } from "./columns";
import { taskSets } from "./task-sets";

export const tasks = sqliteTable(
  "tasks",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    taskSetId: integer("task_set_id")
      .notNull()
      .references(() => taskSets.id, { onDelete: "cascade" }),
    /** The τ² task id (unique within its set). */
    taskId: text("task_id").notNull(),
    body: text("body", { mode: "json" }).$type<Task>().notNull(),
    writes: integer("writes"),
    evidenceTotal: integer("evidence_total"),
    /** B of the grid cell the task was built for (per decision); null for tasks without WRIT metadata. */
    evidenceCell: integer("evidence_cell"),
    behavior: text("behavior"),
    decisionTypes: text("decision_types", { mode: "json" }).$type<string[]>().notNull().default([]),
    stateSeed: integer("state_seed"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("tasks_set_task_uq").on(t.taskSetId, t.taskId),
    index("tasks_set_wb_idx").on(t.taskSetId, t.writes, t.evidenceTotal),
    index("tasks_set_behavior_idx").on(t.taskSetId, t.behavior),
  ],
);

export type TaskRow = typeof tasks.$inferSelect;
export type NewTaskRow = typeof tasks.$inferInsert;
