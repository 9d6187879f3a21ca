/**
 * Our own retry loop around one model call (the SDK's is switched off with
 * maxRetries: 0) so each attempt is visible: counted, reported to a hook and
 * testable. Retried: 429, 5xx, timeouts and connection errors; never other 4xx.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";

export type FailureKind = "rate_limit" | "server" | "timeout" | "connection" | "client" | "bad_response" | "other";

export interface ClassifiedError {
  kind: FailureKind;
  retryable: boolean;
  status?: number;
  message: string;
  /** From Retry-After / retry-after-ms on 429/503. */
  retryAfterMs?: number;
}

/** A 200 reply we cannot use (no choices, not JSON…). */
export class BadResponseError extends Error {}

export function isAbortError(err: unknown): boolean {
  return err instanceof APIUserAbortError || (err instanceof Error && err.name === "AbortError");
}

function readRetryAfter(headers: Headers | undefined): number | undefined {
  if (!headers || typeof headers.get !== "function") return undefined;
  const ms = Number(headers.get("retry-after-ms"));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const raw = headers.get("retry-after");
  if (!raw) return undefined;
  const secs = Number(raw);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

export function classifyError(err: unknown): ClassifiedError {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof APIConnectionTimeoutError) return { kind: "timeout", retryable: true, message: "request timed out" };
  if (err instanceof APIConnectionError) return { kind: "connection", retryable: true, message: `connection error: ${message}` };
  if (err instanceof APIError && typeof err.status === "number") {
    const status = err.status;
    const retryAfterMs = readRetryAfter(err.headers);
    if (status === 429) return { kind: "rate_limit", retryable: true, status, message, retryAfterMs };
    if (status >= 500) return { kind: "server", retryable: true, status, message, retryAfterMs };
    if (status === 408) return { kind: "timeout", retryable: true, status, message };
    return { kind: "client", retryable: false, status, message };
  }
  if (err instanceof BadResponseError) return { kind: "bad_response", retryable: false, message };
  return { kind: "other", retryable: false, message };
}

export interface RetryPolicy {
  /** Retries after the first attempt (attempts = maxRetries + 1). */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Injected in tests; Math.random otherwise. */
  random?: () => number;
}

export const DEFAULT_RETRY_BASE_MS = 500;
export const DEFAULT_RETRY_MAX_MS = 20_000;

/** Exponential backoff with "equal jitter": half the step fixed, half random; a server's Retry-After wins when longer. */
export function backoffDelay(retryIndex: number, policy: RetryPolicy, retryAfterMs?: number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
  const jittered = step / 2 + (policy.random ?? Math.random)() * (step / 2);
  return Math.min(policy.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error("aborted"));
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error("aborted"));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export interface RetryEvent {
  attempt: number;
  error: ClassifiedError;
  delayMs: number;
}

export type RetryOutcome<T> =
  | { ok: true; value: T; attempts: number; failures: ClassifiedError[] }
  | { ok: false; error: ClassifiedError; attempts: number; failures: ClassifiedError[] };

/**
 * Runs `fn` until it succeeds, a non-retryable error occurs or retries run out.
 * Aborts (the caller's signal) are rethrown, never turned into an outcome.
 */
export async function withRetries<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  opts: { signal?: AbortSignal; onRetry?: (e: RetryEvent) => void } = {},
): Promise<RetryOutcome<T>> {
  const failures: ClassifiedError[] = [];
  for (let attempt = 1; ; attempt++) {
    try {
      const value = await fn(attempt);
      return { ok: true, value, attempts: attempt, failures };
    } catch (err) {
      if (isAbortError(err) || opts.signal?.aborted) throw err;
      const error = classifyError(err);
      failures.push(error);
      if (!error.retryable || attempt > policy.maxRetries) return { ok: false, error, attempts: attempt, failures };
      const delayMs = backoffDelay(attempt - 1, policy, error.retryAfterMs);
      opts.onRetry?.({ attempt, error, delayMs });
      await sleep(delayMs, opts.signal);
    }
  }
}
