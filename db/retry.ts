/**
 * busy_timeout covers almost every lock wait; the cases it cannot (a deferred transaction
 * upgrading to a write, a checkpoint racing) surface as SQLITE_BUSY at once. Writes go
 * through `retryBusy` so such a moment is retried briefly and never reaches a user or
 * fails a job.
 */
import { isSqliteBusy } from "../lib/errors/sqlite-busy";

export { isSqliteBusy };

export interface BusyRetryOptions {
  attempts?: number;
  baseDelayMs?: number;
}

export async function retryBusy<T>(fn: () => T | Promise<T>, options: BusyRetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 8;
  const base = options.baseDelayMs ?? 20;
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (!isSqliteBusy(err) || i >= attempts) throw err;
      const delay = base * 2 ** (i - 1) * (0.5 + Math.random() / 2);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/** Synchronous variant for code that cannot await (better-sqlite3 transactions). */
export function retryBusySync<T>(fn: () => T, attempts = 5): T {
  for (let i = 1; ; i++) {
    try {
      return fn();
    } catch (err) {
      if (!isSqliteBusy(err) || i >= attempts) throw err;
      // Atomics.wait gives a real sleep without spinning the CPU.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10 * i);
    }
  }
}
