/**
 * PostgreSQL errors that a retry can cure: the connection went away (server restart, failover,
 * pg_terminate_backend: SQLSTATE class 08 and 57P01–57P03), too many connections (53300), a
 * serialization failure or deadlock that aborted the transaction (40001, 40P01). node-postgres
 * reports a socket closed under it as a plain Error without a code, so its messages count too.
 * Level 0, like ./sqlite-busy.ts: the job failure classification (lib/jobs/errors.ts) uses it.
 */
const RETRYABLE_SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300", "40001", "40P01"]);
const DISCONNECT_MESSAGES = [/Connection terminated/i, /Client has encountered a connection error/i, /Client was closed and is not queryable/i];

export function isPgTransient(err: unknown): boolean {
  if (!err || typeof err !== "object") return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string" && (code.startsWith("08") || RETRYABLE_SQLSTATES.has(code))) return true;
  const message = (err as { message?: unknown }).message;
  return typeof message === "string" && DISCONNECT_MESSAGES.some((re) => re.test(message));
}
