/**
 * The drizzle handle store functions take when they run on either backend: better-sqlite3
 * (synchronous, db/client.ts) or PostgreSQL through the SQLite-dialect proxy
 * (db/pg/sqlite-dialect.ts, asynchronous). A query written with `await` against the SQLite
 * schema runs on both: awaiting a synchronous result is a no-op.
 */
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import type * as schema from "./schema";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the run result differs per driver; read it with changes()
export type AnyDb = BaseSQLiteDatabase<"sync" | "async", any, typeof schema>;

/** Rows changed by an UPDATE / DELETE / INSERT `.run()`, on either driver. */
export function changes(result: { changes?: number | bigint } | undefined): number {
  return Number(result?.changes ?? 0);
}
