/**
 * OpenAI-compatible endpoints. `api_key` stays on the server: routes return rows only
 * through `publicEndpoint()` (db/queries/model-endpoints.ts), which drops it.
 */
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, updatedAt } from "./columns";

export const modelEndpoints = sqliteTable("model_endpoints", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull().unique(),
  baseUrl: text("base_url").notNull(),
  model: text("model").notNull(),
  apiKey: text("api_key"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export type ModelEndpointRow = typeof modelEndpoints.$inferSelect;
export type NewModelEndpointRow = typeof modelEndpoints.$inferInsert;
