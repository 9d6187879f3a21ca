/**
 * The database side of the threads that store or serve on their own connection (the ingest
 * thread, the scoring thread): which file the web server's connection is on, and the thread's
 * one connection to that file. The only module of lib/threads that touches the database.
 */
import { closeDb, openDb, type Db } from "../../db/client";

/** The file behind `db` (":memory:" for an in-memory one), which a thread opens on its own. */
export function databasePath(db: Db): string {
  return db.$client.name;
}

/** An in-memory database: a second connection (another thread) cannot see it. */
export function isMemoryDatabase(db: Db): boolean {
  return db.$client.memory;
}

let held: { path: string; db: Db } | null = null;

/**
 * Inside a thread: its connection to `path`, opened on first use and replaced (the old one
 * closed) when a request names another file. The web server migrated the file on open, so
 * this connection does not.
 */
export function threadConnection(path: string): Db {
  if (held?.path !== path) {
    if (held) closeDb(held.db);
    held = { path, db: openDb(path, { migrate: false }) };
  }
  return held.db;
}
