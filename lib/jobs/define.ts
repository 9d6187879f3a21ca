/**
 * A job type is data: a name ('domain.verb'), a zod payload schema and a handler.
 * Register new types by adding them to lib/jobs/definitions.ts.
 */
import type { z } from "zod";
import type { Db } from "../../db/client";

export interface JobContext<P> {
  job: { id: number; name: string; attempt: number; maxAttempts: number };
  payload: P;
  db: Db;
  /** Fires on cancel, worker shutdown or a lost lease; pass it to fetch/LLM calls. */
  signal: AbortSignal;
  workerId: string;
  /** Progress the UI shows (done of total, optional message). Throws if the lease is lost. */
  reportProgress(done: number, total?: number | null, message?: string | null): Promise<void>;
  /** Extend the lease now (the worker also does so on a timer). */
  heartbeat(): Promise<void>;
  /**
   * Run `fn` once per job across attempts: a retried or taken-over job gets the saved
   * output of a step already completed instead of running it again.
   */
  step<T>(key: string, fn: () => T | Promise<T>): Promise<T>;
}

export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  payloadSchema: S;
  handler: (ctx: JobContext<z.infer<S>>) => Promise<unknown>;
  /** Attempts before a retryable failure becomes final (default 5). */
  maxAttempts?: number;
  /** May the UI / POST /api/jobs enqueue it? */
  enqueueFromApi?: boolean;
  /**
   * A demo/test job (it does no domain work, only occupies a slot): POST /api/jobs accepts it
   * only when WRIT_ENABLE_TEST_JOBS=1, so a production server cannot be filled with sleeps.
   */
  testOnly?: boolean;
  description?: string;
}

export function defineJob<S extends z.ZodType>(def: JobDefinition<S>): JobDefinition<S> {
  if (!/^[a-z][a-z0-9_-]*\.[a-z][a-z0-9_.-]*$/.test(def.name)) {
    throw new Error(`job name "${def.name}" must look like domain.verb`);
  }
  return def;
}
