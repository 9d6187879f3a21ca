/**
 * SQLite's busy/locked errors (better-sqlite3 puts the code on `err.code`): a moment another
 * connection holds the lock, worth a retry. Here at level 0 so both the database layer's busy
 * retry (db/retry.ts) and the job failure classification (lib/jobs/errors.ts) use the one test.
 */
export function isSqliteBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"));
}
