/**
 * Large tool-result texts, stored once. The rollouts of a group (and of an experiment) read
 * the same records and searches, so most tool messages repeat a result already stored: a
 * message row then holds `content_id` and a body without `content` (db/queries/message-body.ts).
 * The id is the first 8 bytes of the content's sha256, read as a signed 64-bit integer, so it
 * is the rowid itself (no second index); a writer checks the stored text on first use and
 * keeps the message inline in the unlikely case of a collision.
 */
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const messageContents = sqliteTable("message_contents", {
  id: integer("id").primaryKey(),
  content: text("content").notNull(),
});
