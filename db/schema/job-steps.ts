/**
 * Completed steps of a job, keyed by a handler-chosen string. A retried or re-leased job
 * skips steps already here (lib/jobs ctx.step), so paid work (an LLM turn) is never redone;
 * unique (job_id, key) makes a duplicate execution fail loudly instead of double-counting.
 */
import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt } from "./columns";
import { jobs } from "./jobs";

export const jobSteps = sqliteTable(
  "job_steps",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    jobId: integer("job_id")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    attempt: integer("attempt").notNull(),
    workerId: text("worker_id"),
    output: text("output", { mode: "json" }).$type<unknown>(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("job_steps_job_key_uq").on(t.jobId, t.key)],
);

export type JobStepRow = typeof jobSteps.$inferSelect;
