/** A named collection of tasks (synthesized, imported from τ², or uploaded). */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt } from "./columns";
import { environments } from "./environments";

export const taskSetStatuses = ["queued", "running", "ready", "failed", "cancelled"] as const;
export type TaskSetStatus = (typeof taskSetStatuses)[number];

export const taskSets = sqliteTable(
  "task_sets",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull().unique(),
    environmentId: integer("environment_id").references(() => environments.id, { onDelete: "set null" }),
    source: text("source", { enum: ["synthesized", "tau2", "uploaded"] }).notNull(),
    /** The synthesis config (docs/cli-and-formats.md) when source = 'synthesized'. */
    config: text("config", { mode: "json" }).$type<Record<string, unknown>>(),
    taskCount: integer("task_count").notNull().default(0),
    /** Synthesis lifecycle: queued/running while its synthesis.run job works; ready once tasks are stored. */
    status: text("status", { enum: taskSetStatuses }).notNull().default("ready"),
    /** The synthesis report (per-cell requested/built counts and rejection reasons), null for imports. */
    report: text("report", { mode: "json" }).$type<Record<string, unknown>>(),
    /** The synthesis.run job that fills the set (no FK: jobs may be pruned independently). */
    jobId: integer("job_id"),
    /** Why synthesis failed or was cancelled. */
    error: text("error"),
    createdAt: createdAt(),
  },
  (t) => [index("task_sets_environment_idx").on(t.environmentId)],
);

export type TaskSetRow = typeof taskSets.$inferSelect;
export type NewTaskSetRow = typeof taskSets.$inferInsert;
