import { defineConfig } from "drizzle-kit";

/** `npm run db:generate` writes a new SQL migration into db/migrations from db/schema. */
export default defineConfig({
  dialect: "sqlite",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
  dbCredentials: { url: process.env.WRIT_DB ?? "data/writ.db" },
});
