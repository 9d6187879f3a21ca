/**
 * Worker processes register here and heartbeat; /api/health lists the live ones and GET
 * /api/workers (the jobs page) lists them by host. The counters and rates are the worker's
 * own, rewritten with every heartbeat (lib/jobs/worker-stats.ts): no per-event table.
 */
import { integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt } from "./columns";

export const workers = sqliteTable("workers", {
  id: text("id").primaryKey(),
  pid: integer("pid").notNull(),
  host: text("host").notNull(),
  concurrency: integer("concurrency").notNull(),
  running: integer("running").notNull().default(0),
  status: text("status", { enum: ["running", "stopping", "stopped"] }).notNull().default("running"),
  startedAt: createdAt(),
  heartbeatAt: integer("heartbeat_at").notNull(),
  /** The app version the worker runs (package.json), when it knows it. */
  version: text("version"),
  /** process.version of the worker's Node.js. */
  nodeVersion: text("node_version"),
  /** Jobs this worker completed / marked failed since it started. */
  jobsDone: integer("jobs_done").notNull().default(0),
  jobsFailed: integer("jobs_failed").notNull().default(0),
  /** Rollouts finished by this worker's rollouts.run jobs since it started (from their progress reports). */
  rolloutsDone: integer("rollouts_done").notNull().default(0),
  /** Finished jobs (done + failed) per minute and rollouts per second over the worker's last minute. */
  jobsPerMin: real("jobs_per_min").notNull().default(0),
  rolloutsPerSec: real("rollouts_per_sec").notNull().default(0),
});

export type WorkerRow = typeof workers.$inferSelect;
export type NewWorkerRow = typeof workers.$inferInsert;
