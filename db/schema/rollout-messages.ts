/**
 * Message bodies of a rollout, one row per message. Unique (rollout_id, idx): a resumed
 * conversation re-inserting a saved turn conflicts instead of duplicating it. A tool message
 * whose large content is stored in message_contents has `content_id` set and a body without
 * `content`; read messages through db/queries/rollouts.ts, which puts it back.
 */
import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Message } from "../../lib/types/messages";
import { rollouts } from "./rollouts";

export const rolloutMessages = sqliteTable(
  "rollout_messages",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    rolloutId: text("rollout_id")
      .notNull()
      .references(() => rollouts.id, { onDelete: "cascade" }),
    idx: integer("idx").notNull(),
    role: text("role", { enum: ["assistant", "user", "tool"] }).notNull(),
    body: text("body", { mode: "json" }).$type<Message>().notNull(),
    contentId: integer("content_id"),
  },
  (t) => [uniqueIndex("rollout_messages_rollout_idx_uq").on(t.rolloutId, t.idx)],
);

export type RolloutMessageRow = typeof rolloutMessages.$inferSelect;
export type NewRolloutMessageRow = typeof rolloutMessages.$inferInsert;
