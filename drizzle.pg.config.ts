import { defineConfig } from "drizzle-kit";

/**
 * `npx drizzle-kit generate --config drizzle.pg.config.ts` writes a PostgreSQL migration into
 * db/migrations-pg from the tables db/pg/schema.ts derives from db/schema (issue 19).
 */
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/pg/kit-schema.ts",
  out: "./db/migrations-pg",
  dbCredentials: { url: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres" },
});
