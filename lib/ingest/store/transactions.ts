/**
 * Transaction scopes of an ingestion batch (../ingest.ts): the batch in ONE immediate
 * transaction, each event in a savepoint of it (better-sqlite3 nests a transaction inside
 * an open one as a savepoint), so a bad event rolls back alone.
 */
import type { Db } from "../../../db/client";

/** Runs `fn` in a transaction, or in a savepoint when one is already open; a throw undoes its rows only. */
export function inSavepoint<T>(db: Db, fn: () => T): T {
  return db.$client.transaction(fn)();
}

/** Runs `fn` in one immediate transaction (the write lock taken at the start). */
export function inImmediateTransaction(db: Db, fn: () => void): void {
  db.$client.transaction(fn).immediate();
}
