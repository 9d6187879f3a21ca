/**
 * The web server's database handle: opened (and migrated) once per process on first use,
 * kept on globalThis so dev-mode hot reloads do not leak connections.
 */
import { assertSqliteBackend, getEnv } from "../lib/settings";
import { closeDb, openDb, type Db } from "./client";

const holder = globalThis as typeof globalThis & { __writDb?: Db };

export function getDb(): Db {
  if (!holder.__writDb) assertSqliteBackend();
  holder.__writDb ??= openDb(getEnv().WRIT_DB);
  return holder.__writDb;
}

/** Tests that point WRIT_DB somewhere else between cases. */
export function resetDb(): void {
  if (holder.__writDb) closeDb(holder.__writDb);
  holder.__writDb = undefined;
}
