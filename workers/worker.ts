/**
 * The worker loop: claim → run → complete / retry / fail, several jobs at once.
 * - A timer heartbeats the worker row (with its counters and throughput, lib/jobs/worker-stats.ts),
 *   extends the lease of each running job, picks up cancel requests (aborting the job's signal)
 *   and requeues other workers' expired leases.
 * - `stop()` (SIGTERM): no more claims, running jobs are aborted and their leases released
 *   so another worker resumes them at once.
 * - The queue is lib/jobs' JobQueue: SQLite (one machine; its writes retry SQLITE_BUSY, so a
 *   lock never fails a job) or PostgreSQL (pg-boss delivery; workers on many machines).
 * - One job kind never holds every slot (workers/slot-rule.ts).
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { AnyDb } from "../db/any-db";
import type { Db } from "../db/client";
import { retryBusy } from "../db/retry";
import type { JobRow } from "../db/schema";
import type { JobContext, JobHandler } from "../lib/jobs/define";
import {
  classifyError,
  computeBackoffMs,
  JobCancelledError,
  LeaseLostError,
  PayloadError,
  WorkerShutdownError,
} from "../lib/jobs/errors";
import type { JobQueue } from "../lib/jobs/queue-backend";
import { createSqliteJobQueue } from "../lib/jobs/store/sqlite-queue";
import { registerWorker, recordWorkerHeartbeat } from "../lib/jobs/store/workers";
import { ROLLOUTS_RUN_JOB } from "../lib/jobs/names";
import { validateJobPayload } from "../lib/jobs/validate";
import { createWorkerStats } from "../lib/jobs/worker-stats";
import { jobHandlers } from "./job-handlers";
import { kindAtSlotLimit } from "./slot-rule";

export interface WorkerOptions {
  /**
   * The SQLite database: the default queue and worker registry, and the handlers' ctx.db.
   * A worker on PostgreSQL passes `queue` and `registry` instead and serves only the kinds
   * whose handlers run on any backend (JobHandler.anyBackend).
   */
  db?: Db;
  /** Default: the SQLite queue on `db`. */
  queue?: JobQueue;
  /** Where the worker's row lives; default `db`. */
  registry?: AnyDb;
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  backoffMs?: number;
  /** How long a cancelled/aborted handler may take to settle before the worker moves on. */
  abortGraceMs?: number;
  id?: string;
  log?: (message: string) => void;
  /** Called when a job is claimed, before it starts (e.g. to stop an idle-time warm-up). */
  onClaim?: (job: JobRow) => void;
  /** Handlers by job name; default: every kind's (./job-handlers.ts). */
  handlers?: ReadonlyMap<string, JobHandler>;
  /** The app version shown on the jobs page; default: npm's npm_package_version when run by `npm run worker`. */
  version?: string | null;
}

interface ActiveJob {
  job: JobRow;
  owner: string;
  controller: AbortController;
  done: Promise<void>;
}

export interface Worker {
  readonly id: string;
  /** Registers the worker's row, then claims; `registered` settles once the row is written. */
  start(): void;
  readonly registered: Promise<void>;
  /** Resolves once every running job has settled or been released. */
  stop(): Promise<void>;
  readonly running: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The handlers a worker can run: all with the SQLite db, else those that need no ctx.db. */
function filterHandlers(handlers: ReadonlyMap<string, JobHandler>, hasDb: boolean): ReadonlyMap<string, JobHandler> {
  if (hasDb) return handlers;
  return new Map([...handlers].filter(([, h]) => h.anyBackend));
}

export function createWorker(options: WorkerOptions): Worker {
  const db = options.db;
  const maybeQueue = options.queue ?? (db ? createSqliteJobQueue(db) : undefined);
  const maybeRegistry = options.registry ?? db;
  if (!maybeQueue || !maybeRegistry) throw new Error("createWorker needs a db, or a queue and a registry");
  const queue: JobQueue = maybeQueue;
  const registry: AnyDb = maybeRegistry;
  const concurrency = options.concurrency ?? 4;
  const leaseMs = options.leaseMs ?? 30_000;
  const pollMs = options.pollMs ?? 500;
  const backoffMs = options.backoffMs ?? 2_000;
  const abortGraceMs = options.abortGraceMs ?? 1_500;
  // Cancel must be noticed well within 2 s, and the lease renewed well before it expires.
  const tickMs = Math.max(50, Math.min(500, Math.floor(leaseMs / 3)));
  const id = options.id ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 6)}`;
  const log = options.log ?? (() => {});
  // Without the SQLite db, only handlers that need no ctx.db can run.
  const handlers = filterHandlers(options.handlers ?? jobHandlers, db !== undefined);
  const served = db ? undefined : [...handlers.keys()];
  const active = new Map<number, ActiveJob>();
  const stats = createWorkerStats(Date.now());
  let stopping = false;
  let loopDone: Promise<void> | undefined;
  let registered: Promise<void> = Promise.resolve();
  let ticker: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;

  const write = <T>(fn: () => T) => retryBusy(fn, { attempts: 20 });

  function buildContext(entry: Omit<ActiveJob, "done">, payload: unknown): JobContext<unknown> {
    const { job, owner, controller } = entry;
    const ensureOwned = (ok: boolean | undefined) => {
      if (!ok) {
        if (!controller.signal.aborted) controller.abort(new LeaseLostError(job.id));
        throw controller.signal.reason;
      }
    };
    return {
      job: { id: job.id, name: job.name, attempt: job.attempts, maxAttempts: job.maxAttempts },
      payload,
      get db(): Db {
        if (!db) throw new Error(`job ${job.name} needs the SQLite database, which this worker does not have`);
        return db;
      },
      signal: controller.signal,
      workerId: id,
      async reportProgress(done, total, message) {
        ensureOwned(await queue.updateProgress(job.id, owner, done, total, message));
        stats.progressReported(job.id, done);
      },
      async heartbeat() {
        ensureOwned(Boolean(await queue.extendLease(job.id, owner, leaseMs)));
      },
      async step<T>(key: string, fn: () => T | Promise<T>): Promise<T> {
        const saved = await queue.getStep(job.id, key);
        if (saved) return saved.output as T;
        controller.signal.throwIfAborted();
        const output = await fn();
        controller.signal.throwIfAborted();
        ensureOwned(await queue.recordStep(job.id, owner, key, job.attempts, id, output));
        return output;
      },
    };
  }

  async function settle(entry: Omit<ActiveJob, "done">, outcome: { ok: true; value: unknown } | { ok: false; error: unknown }) {
    const { job, owner, controller } = entry;
    const reason: unknown = controller.signal.aborted ? controller.signal.reason : undefined;
    if (reason instanceof JobCancelledError) {
      await queue.markCancelled(job.id, owner);
      log(`job ${job.id} ${job.name} cancelled`);
    } else if (reason instanceof WorkerShutdownError) {
      if (outcome.ok) {
        if (await queue.complete(job.id, owner, outcome.value)) stats.jobFinished("done");
      } else await queue.release(job.id, owner);
    } else if (reason instanceof LeaseLostError) {
      log(`job ${job.id} lease lost; leaving it to its new owner`);
    } else if (outcome.ok) {
      if (await queue.complete(job.id, owner, outcome.value)) stats.jobFinished("done");
    } else {
      const c = classifyError(outcome.error);
      if (c.retryable && job.attempts < job.maxAttempts) {
        const runAt = Date.now() + computeBackoffMs(job.attempts, backoffMs);
        await queue.scheduleRetry(job.id, owner, `attempt ${job.attempts}: ${c.reason}`, runAt);
        log(`job ${job.id} ${job.name} retry at +${runAt - Date.now()}ms: ${c.reason}`);
      } else {
        const why = c.retryable ? `gave up after ${job.attempts} attempts: ${c.reason}` : c.reason;
        if (await queue.fail(job.id, owner, why)) stats.jobFinished("failed");
        log(`job ${job.id} ${job.name} failed: ${why}`);
      }
    }
  }

  async function run(entry: Omit<ActiveJob, "done">): Promise<void> {
    const { job, controller } = entry;
    let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
    try {
      const def = handlers.get(job.name);
      if (!def) throw new PayloadError(`unknown job "${job.name}"`, "name");
      const payload = validateJobPayload(job.name, job.payload);
      const handler = def.handler(buildContext(entry, payload));
      // A handler that ignores its signal must not hold the slot: after abort, wait a grace period.
      const aborted = new Promise<never>((_, reject) => {
        const onAbort = () => setTimeout(() => reject(controller.signal.reason), abortGraceMs).unref();
        if (controller.signal.aborted) onAbort();
        else controller.signal.addEventListener("abort", onAbort, { once: true });
      });
      outcome = { ok: true, value: await Promise.race([handler, aborted]) };
      handler.catch(() => {});
    } catch (error) {
      outcome = { ok: false, error };
    }
    try {
      await settle(entry, outcome);
    } catch (err) {
      // The lease will expire and another worker will pick the job up.
      log(`job ${job.id}: could not record the outcome: ${(err as Error).message}`);
    }
  }

  function startJob(job: JobRow, owner: string) {
    const controller = new AbortController();
    const base = { job, owner, controller };
    // A rollouts.run job's progress counts finished rollouts: the worker's rollouts/s comes from it.
    stats.jobClaimed(job.id, job.progressDone, job.name === ROLLOUTS_RUN_JOB);
    const done = run(base).finally(() => {
      stats.jobSettled(job.id);
      active.delete(job.id);
      wake?.();
    });
    active.set(job.id, { ...base, done });
  }

  let ticking = false;
  async function tick() {
    // A slow tick (busy database) must not pile up behind the interval.
    if (ticking) return;
    ticking = true;
    const now = Date.now();
    try {
      const beat = { ...stats.snapshot(now), running: active.size, status: stopping ? ("stopping" as const) : ("running" as const) };
      await write(() => recordWorkerHeartbeat(registry, id, beat, now));
      for (const entry of active.values()) {
        if (entry.controller.signal.aborted) continue;
        const lease = await queue.extendLease(entry.job.id, entry.owner, leaseMs);
        if (!lease) entry.controller.abort(new LeaseLostError(entry.job.id));
        else if (lease.cancelRequested) entry.controller.abort(new JobCancelledError());
      }
      const requeued = await queue.requeueExpired();
      if (requeued) {
        log(`requeued ${requeued} job(s) with expired leases`);
        wake?.();
      }
    } catch (err) {
      log(`heartbeat failed: ${(err as Error).message}`);
    } finally {
      ticking = false;
    }
  }

  async function loop() {
    while (!stopping) {
      let claimed = false;
      if (active.size < concurrency) {
        const owner = `${id}/${randomUUID().slice(0, 8)}`;
        // No kind may take the last free slot (workers/slot-rule.ts).
        const exclude = kindAtSlotLimit([...active.values()].map((a) => a.job.name), concurrency);
        const job = await queue.claim(owner, leaseMs, exclude, served);
        if (job) {
          claimed = true;
          options.onClaim?.(job);
          startJob(job, owner);
        }
      }
      if (claimed) continue;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wake = undefined;
    }
  }

  return {
    id,
    get running() {
      return active.size;
    },
    start() {
      const registration = {
        id,
        pid: process.pid,
        host: hostname(),
        concurrency,
        version: options.version === undefined ? (process.env.npm_package_version ?? null) : options.version,
        nodeVersion: process.version,
      };
      registered = write(() => registerWorker(registry, registration)).then(() => undefined);
      ticker = setInterval(() => void tick(), tickMs);
      loopDone = registered
        .then(() => {
          void tick();
          return loop();
        })
        .catch((err) => log(`worker loop crashed: ${(err as Error).stack ?? err}`));
    },
    get registered() {
      return registered;
    },
    async stop() {
      if (stopping) return loopDone;
      stopping = true;
      wake?.();
      await loopDone;
      for (const entry of active.values()) entry.controller.abort(new WorkerShutdownError());
      await Promise.race([Promise.all([...active.values()].map((a) => a.done)), sleep(abortGraceMs + 2_000)]);
      if (ticker) clearInterval(ticker);
      // Anything still running could not be released in time; its lease will expire.
      const now = Date.now();
      const beat = { ...stats.snapshot(now), running: active.size, status: "stopped" as const };
      await write(() => recordWorkerHeartbeat(registry, id, beat, now)).catch(() => {});
    },
  };
}
