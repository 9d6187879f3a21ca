/** Worker processes register here and heartbeat; /api/health lists the live ones. */
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
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
});

export type WorkerRow = typeof workers.$inferSelect;
