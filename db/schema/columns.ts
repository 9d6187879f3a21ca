/**
 * Column helpers shared by every table. Times are integer milliseconds since the epoch
 * (UTC); the SQL default makes raw INSERTs (queue hot path, tests) stamp them too.
 */
import { sql } from "drizzle-orm";
import { integer } from "drizzle-orm/sqlite-core";

export const nowMs = sql`(cast(unixepoch('subsec') * 1000 as integer))`;

export const createdAt = () => integer("created_at").notNull().default(nowMs);
export const updatedAt = () => integer("updated_at").notNull().default(nowMs);
