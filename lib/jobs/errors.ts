/**
 * Failure classification for jobs. Retryable: transient trouble that a later attempt can
 * get past (rate limits, 5xx, timeouts, dropped connections, SQLITE_BUSY). Everything
 * else (bad payload, 4xx, programming errors) fails at once with its reason.
 */
import { ZodError } from "zod";
import { isPgTransient } from "../errors/pg-transient";
import { isSqliteBusy } from "../errors/sqlite-busy";

/** Throw this from a handler to ask for a retry explicitly. */
export class RetryableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RetryableError";
  }
}

/** The payload did not match the job's schema; names the first bad field. */
export class PayloadError extends Error {
  constructor(
    message: string,
    readonly field: string | undefined,
  ) {
    super(message);
    this.name = "PayloadError";
  }
}

/** Abort reasons the worker uses; a handler sees them as `signal.reason`. */
export class JobCancelledError extends Error {
  constructor() {
    super("cancelled");
    this.name = "JobCancelledError";
  }
}
export class WorkerShutdownError extends Error {
  constructor() {
    super("worker shutting down");
    this.name = "WorkerShutdownError";
  }
}
export class LeaseLostError extends Error {
  constructor(jobId: number) {
    super(`job ${jobId}: lease lost to another worker`);
    this.name = "LeaseLostError";
  }
}

const RETRYABLE_NET_CODES = new Set([
  "ETIMEDOUT",
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "EAI_AGAIN",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_SOCKET",
]);

export interface Classification {
  retryable: boolean;
  reason: string;
}

function statusOf(err: object): number | undefined {
  const e = err as { status?: unknown; statusCode?: unknown; response?: { status?: unknown } };
  for (const s of [e.status, e.statusCode, e.response?.status]) if (typeof s === "number") return s;
  return undefined;
}

export function classifyError(err: unknown): Classification {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof RetryableError) return { retryable: true, reason: message };
  if (err instanceof PayloadError || err instanceof ZodError) return { retryable: false, reason: message };
  if (err && typeof err === "object") {
    if (isSqliteBusy(err)) return { retryable: true, reason: `database busy: ${message}` };
    if (isPgTransient(err)) return { retryable: true, reason: `database connection: ${message}` };
    const status = statusOf(err);
    if (status !== undefined) {
      const retryable = status === 408 || status === 429 || status >= 500;
      return { retryable, reason: `HTTP ${status}: ${message}` };
    }
    const name = (err as { name?: unknown }).name;
    if (name === "TimeoutError") return { retryable: true, reason: `timeout: ${message}` };
    const code = (err as { code?: unknown }).code;
    if (typeof code === "string" && RETRYABLE_NET_CODES.has(code)) return { retryable: true, reason: `${code}: ${message}` };
    // The openai SDK wraps timeouts/connection drops in these classes (no status).
    if (name === "APIConnectionTimeoutError" || name === "APIConnectionError") return { retryable: true, reason: message };
    const cause = (err as { cause?: unknown }).cause;
    if (cause && cause !== err) {
      const inner = classifyError(cause);
      if (inner.retryable) return { retryable: true, reason: message };
    }
  }
  return { retryable: false, reason: message };
}

/**
 * Delay before attempt `attempt + 1`: base·2^(attempt-1), capped, with "equal jitter"
 * (half fixed, half random) so retries of a burst spread out but never fire at once.
 */
export function computeBackoffMs(attempt: number, baseMs: number, capMs = 10 * 60_000, random = Math.random): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}
