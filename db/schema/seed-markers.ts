/** One row per demo seed step already applied (lib/demo/seed.ts), so seeding is idempotent. */
import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt } from "./columns";

export const seedMarkers = sqliteTable("seed_markers", {
  key: text("key").primaryKey(),
  appliedAt: createdAt(),
});
