/**
 * The one way to open the database, shared by the web server, workers, CLI, benches and
 * tests: WAL (readers never block the writer), busy_timeout so a second writer waits
 * instead of failing, foreign keys on, synchronous=NORMAL (safe with WAL, much faster),
 * automatic checkpoints every ~16 MB of WAL.
 * Migrations from db/migrations are applied on open, under BEGIN IMMEDIATE so several
 * processes opening a fresh file at once cannot apply them twice.
 */
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** A drizzle transaction or the db itself: queries accept either. */
export type DbOrTx = BaseSQLiteDatabase<"sync", Database.RunResult, typeof schema>;

export const DEFAULT_DB_PATH = "data/writ.db";
/** Pages (4 KiB) of WAL that trigger an automatic checkpoint; set on every connection so none is left doing another's. */
export const WAL_AUTOCHECKPOINT_PAGES = 4000;

export interface OpenDbOptions {
  /** Skip migrations (only for tools that inspect a db read-only). */
  migrate?: boolean;
}

export function openDb(path?: string, options: OpenDbOptions = {}): Db {
  const file = resolveDbPath(path);
  if (file !== ":memory:") createPrivateFile(file);
  const client = new Database(file);
  client.pragma("journal_mode = WAL");
  client.pragma("busy_timeout = 5000");
  client.pragma("foreign_keys = ON");
  client.pragma("synchronous = NORMAL");
  // Checkpoint every ~16 MB of WAL instead of SQLite's 4 MB: a simulated experiment writes
  // tens of MB of messages, and each checkpoint copies the hot index pages again and
  // fsyncs; fewer, larger ones cut the storage cost per message by about a fifth.
  client.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  const db = drizzle(client, { schema }) as Db;
  if (options.migrate !== false) migrateDb(client);
  return db;
}

/**
 * The database holds model endpoints' API keys, so a new file is created readable by its
 * owner only (0600, in a 0700 folder when we create the folder), never with the umask's
 * usual 0644. SQLite gives the -wal and -shm files the mode of the database file, so they
 * follow. An existing file keeps the mode the operator gave it.
 */
function createPrivateFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(file, "wx", 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
}

export function resolveDbPath(path?: string): string {
  const p = path ?? process.env.WRIT_DB ?? DEFAULT_DB_PATH;
  return p === ":memory:" ? p : resolve(/*turbopackIgnore: true*/ p);
}

/** db/migrations, found from the working directory (Next.js bundles move __dirname). */
export function migrationsDir(): string {
  const candidates = [
    process.env.WRIT_MIGRATIONS_DIR,
    join(/*turbopackIgnore: true*/ process.cwd(), "db", "migrations"),
    typeof __dirname === "string" ? join(__dirname, "migrations") : undefined,
  ].filter((c): c is string => Boolean(c));
  const found = candidates.find((c) => existsSync(join(c, "meta", "_journal.json")));
  if (!found) throw new Error(`db/migrations not found (looked in ${candidates.join(", ")})`);
  return found;
}

const MIGRATIONS_TABLE = "__drizzle_migrations";

/** Same bookkeeping table as drizzle's migrator, so drizzle-kit tooling stays compatible. */
export function migrateDb(client: Database.Database): number {
  const migrations = readMigrationFiles({ migrationsFolder: migrationsDir() });
  client.exec(
    `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (id INTEGER PRIMARY KEY, hash text NOT NULL, created_at numeric)`,
  );
  const apply = client.transaction(() => {
    const last = client
      .prepare(`SELECT created_at FROM ${MIGRATIONS_TABLE} ORDER BY created_at DESC LIMIT 1`)
      .get() as { created_at: number } | undefined;
    let applied = 0;
    for (const m of migrations) {
      if (last && Number(last.created_at) >= m.folderMillis) continue;
      for (const stmt of m.sql) if (stmt.trim()) client.exec(stmt);
      client.prepare(`INSERT INTO ${MIGRATIONS_TABLE} (hash, created_at) VALUES (?, ?)`).run(m.hash, m.folderMillis);
      applied++;
    }
    return applied;
  });
  return apply.immediate();
}

/** Close the underlying handle (tests, CLI, workers on shutdown). */
export function closeDb(db: Db): void {
  if (db.$client.open) db.$client.close();
}
