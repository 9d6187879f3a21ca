/** Shareable links: a short id standing for a page path plus its URL state (filters, sort …). */
import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt } from "./columns";

export const savedViews = sqliteTable("saved_views", {
  id: text("id").primaryKey(),
  path: text("path").notNull(),
  state: text("state", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  createdAt: createdAt(),
});

export type SavedViewRow = typeof savedViews.$inferSelect;
export type NewSavedViewRow = typeof savedViews.$inferInsert;
