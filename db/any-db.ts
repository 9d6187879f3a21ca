/**
 * The drizzle handle store functions take when they run on either backend: better-sqlite3
 * (synchronous, db/client.ts) or PostgreSQL through the SQLite-dialect proxy
 * (db/pg/sqlite-dialect.ts, asynchronous). A query written with `await` against the SQLite
 * schema runs on both: awaiting a synchronous result is a no-op.
 */
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import type { Db } from "./client";
import { isPgSqliteDb, transactionOnPg, type PgSqliteDb } from "./pg/sqlite-dialect";
import type * as schema from "./schema";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the run result differs per driver; read it with changes()
export type AnyDb = BaseSQLiteDatabase<"sync" | "async", any, typeof schema>;

/** Rows changed by an UPDATE / DELETE / INSERT `.run()`, on either driver. */
export function changes(result: { changes?: number | bigint } | undefined): number {
  return Number(result?.changes ?? 0);
}

/**
 * A transaction body written once for both backends, as a generator: each query is yielded
 * (`const row = yield* q(tx.select()…get())`) instead of awaited. On SQLite the driver answers
 * synchronously, so the runner feeds each answer straight back and the whole body runs inside
 * better-sqlite3's synchronous transaction: nothing else in the process can run a statement on
 * the shared connection in the middle of it (an `await` would allow exactly that). On
 * PostgreSQL each yielded promise is awaited on the transaction's own connection.
 */
export type TransactionBody<T> = (tx: AnyDb) => Generator<unknown, T, unknown>;

/** Yield one query's result inside a TransactionBody: `const rows = yield* q(tx.select()…all())`. */
export function* q<T>(query: T | Promise<T>): Generator<T | Promise<T>, T, unknown> {
  return (yield query) as T;
}

const isPromise = (v: unknown): v is Promise<unknown> => typeof (v as { then?: unknown } | null)?.then === "function";

function runSync<T>(gen: Generator<unknown, T, unknown>): T {
  let step = gen.next();
  while (!step.done) {
    if (isPromise(step.value)) {
      // A real await would end better-sqlite3's transaction early (it commits when the callback returns).
      gen.return(undefined as T);
      throw new Error("transaction body yielded a promise on SQLite: only database queries may be yielded");
    }
    step = gen.next(step.value);
  }
  return step.value;
}

async function runAsync<T>(gen: Generator<unknown, T, unknown>): Promise<T> {
  let step = gen.next();
  while (!step.done) {
    let value: unknown;
    try {
      value = await step.value;
    } catch (err) {
      // Thrown into the body, so its own try/catch sees a failed query as it would on SQLite.
      step = gen.throw(err);
      continue;
    }
    step = gen.next(value);
  }
  return step.value;
}

/**
 * Runs `body` in one transaction on either backend (BEGIN IMMEDIATE on SQLite, so a writer
 * takes the lock up front; READ COMMITTED on one pinned connection on PostgreSQL). Commits when
 * the body returns, rolls back when it throws.
 */
export async function transaction<T>(db: AnyDb, body: TransactionBody<T>): Promise<T> {
  if (isPgSqliteDb(db)) return transactionOnPg(db as PgSqliteDb, (tx) => runAsync(body(tx as AnyDb)));
  return (db as unknown as Db).transaction((tx) => runSync(body(tx as unknown as AnyDb)), { behavior: "immediate" });
}
