/**
 * The job queue (lib/jobs). A row moves queued → running → succeeded | failed | cancelled;
 * a retryable failure or an expired lease puts it back to queued with a later run_at.
 * Claiming is one UPDATE … WHERE id = (SELECT … LIMIT 1) RETURNING * (see lib/jobs/store/queue.ts).
 */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, updatedAt } from "./columns";

import { jobStatuses } from "../../lib/jobs/status";

export { jobStatuses, type JobStatus } from "../../lib/jobs/status";

export const jobs = sqliteTable(
  "jobs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** 'domain.verb', a key of the job registry. */
    name: text("name").notNull(),
    payload: text("payload", { mode: "json" }).$type<unknown>().notNull(),
    status: text("status", { enum: jobStatuses }).notNull().default("queued"),
    /** Lower runs first. */
    priority: integer("priority").notNull().default(0),
    runAt: integer("run_at").notNull(),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(5),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: integer("lease_expires_at"),
    cancelRequested: integer("cancel_requested", { mode: "boolean" }).notNull().default(false),
    progressDone: integer("progress_done").notNull().default(0),
    progressTotal: integer("progress_total"),
    progressMessage: text("progress_message"),
    result: text("result", { mode: "json" }).$type<unknown>(),
    error: text("error"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    startedAt: integer("started_at"),
    finishedAt: integer("finished_at"),
  },
  (t) => [
    index("jobs_claim_idx").on(t.status, t.priority, t.id),
    index("jobs_lease_idx").on(t.status, t.leaseExpiresAt),
    index("jobs_name_idx").on(t.name, t.id),
  ],
);

export type JobRow = typeof jobs.$inferSelect;
export type NewJobRow = typeof jobs.$inferInsert;
