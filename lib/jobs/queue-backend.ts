/**
 * The job queue as the worker loop and the job routes use it, on either database: the SQLite
 * queue (lib/jobs/store/queue.ts, one file shared by the processes of one machine) or the
 * PostgreSQL queue (lib/jobs/store/pg-queue.ts: pg-boss delivers, workers on many machines).
 * Same semantics on both (tests/job-queue-backends.test.ts runs one contract on each):
 * - a job row moves queued → running → succeeded | failed | cancelled;
 * - claiming takes a lease (owner + expiry) that the worker's heartbeat extends; every write by
 *   a worker is fenced by its owner token, so a worker that lost its lease changes nothing;
 * - an expired lease (the worker vanished) puts the job back to queued, counting the attempt;
 * - a retryable failure is rescheduled at a later time (backoff), a final one fails the job;
 * - lower `priority` runs first; `excludeName` lets a worker keep its last slot for other kinds;
 * - completed steps (`recordStep`) survive retries, so paid work is never redone.
 */
import type { JobRow } from "../../db/schema";
import type { EnqueueOptions } from "./store/enqueue";

export type { EnqueueOptions };

export interface JobQueue {
  readonly backend: "sqlite" | "postgres";
  /** Validates the payload against its kind's schema (lib/jobs/validate.ts) and queues the job. */
  enqueue(name: string, payload: unknown, options?: EnqueueOptions): Promise<JobRow>;
  /**
   * The next due job under a new lease. `excludeName`: not that kind (the worker's slot rule);
   * `onlyNames`: only these kinds (a worker that cannot run every kind; PostgreSQL only).
   */
  claim(owner: string, leaseMs: number, excludeName?: string, onlyNames?: readonly string[]): Promise<JobRow | undefined>;
  /** undefined when the lease was lost; otherwise whether cancel was requested. */
  extendLease(id: number, owner: string, leaseMs: number): Promise<{ cancelRequested: boolean } | undefined>;
  updateProgress(id: number, owner: string, done: number, total: number | null | undefined, message: string | null | undefined): Promise<boolean>;
  complete(id: number, owner: string, result: unknown): Promise<boolean>;
  fail(id: number, owner: string, error: string): Promise<boolean>;
  scheduleRetry(id: number, owner: string, error: string, runAt: number): Promise<boolean>;
  markCancelled(id: number, owner: string): Promise<boolean>;
  /** Graceful shutdown: hand the job back without counting the interrupted attempt. */
  release(id: number, owner: string): Promise<boolean>;
  /** Jobs whose worker stopped heartbeating go back to the queue; returns how many. */
  requeueExpired(): Promise<number>;
  get(id: number): Promise<JobRow | undefined>;
  /** Queued jobs cancel at once; running ones get cancel_requested. Throws NotFound / Conflict. */
  requestCancel(id: number): Promise<JobRow>;
  /** Failed or cancelled jobs go back to the queue (steps kept). Throws NotFound / Conflict. */
  retry(id: number): Promise<JobRow>;
  getStep(jobId: number, key: string): Promise<{ output: unknown } | undefined>;
  recordStep(jobId: number, owner: string, key: string, attempt: number, workerId: string, output: unknown): Promise<boolean>;
  close(): Promise<void>;
}
