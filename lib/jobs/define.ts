/**
 * A job kind (./kinds.ts) is data: name, payload schema, attempts. Its handler is written with
 * `defineJobHandler` next to its domain (e.g. lib/rollouts/run-job.ts) and registered by the
 * worker process in workers/job-handlers.ts, so nothing else loads job implementations.
 */
import type { z } from "zod";
import type { Db } from "../../db/client";
import type { JobKind } from "./kinds";

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

export interface JobHandler<S extends z.ZodType = z.ZodType> {
  kind: JobKind<S>;
  /**
   * Runs on either database backend: it never touches ctx.db (only the queue's ctx.step /
   * reportProgress). Workers on PostgreSQL serve only such kinds until every store has a
   * PostgreSQL path (issue 19).
   */
  anyBackend?: boolean;
  /**
   * Runs one attempt; ctx.payload has passed the kind's schema. (Method syntax: a list of
   * handlers of different kinds is a JobHandler[]; the worker pairs each with its own schema.)
   */
  handler(ctx: JobContext<z.infer<S>>): Promise<unknown>;
}

export function defineJobHandler<S extends z.ZodType>(
  kind: JobKind<S>,
  handler: (ctx: JobContext<z.infer<S>>) => Promise<unknown>,
  options: { anyBackend?: boolean } = {},
): JobHandler<S> {
  return { kind, handler, anyBackend: options.anyBackend ?? false };
}
