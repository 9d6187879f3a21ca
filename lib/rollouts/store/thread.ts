/**
 * The rollout store thread, runner side. With simulated drivers a worker's main thread
 * would spend about half its time scoring and writing rollouts; here it only plays them and
 * hands the rest, in batches, to a second thread with its own SQLite connection
 * (./thread.worker.ts). One thread per process, shared by its running jobs
 * (each names its database file), started at worker boot or on first use, and kept.
 *
 * - Same rows as the one-thread RolloutWriter: the thread runs that writer.
 * - `flush()` resolves once everything queued is committed (resume reads, the end of the job);
 *   `pace()` makes the runner wait while more than MAX_IN_FLIGHT batches are unacknowledged.
 * - A storage error becomes a RolloutStorageError on the job's next call, classified like one
 *   on this thread (SQLite's code travels with it: busy retries, a constraint does not). The
 *   thread dying is retryable: the retry gets a new thread and resumes from what was committed.
 * - Not used for durable runs (model drivers flush every message before the next model call),
 *   in-memory databases, one-core machines, or with WRIT_ROLLOUT_THREAD=0.
 */
import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import type { Db } from "../../../db/client";
import type { RolloutFinal, RolloutStart } from "../../../db/queries/rollouts";
import { getEnv } from "../../settings";
import { RetryableError } from "../../jobs/errors";
import { startThread } from "../../threads/start-thread";
import type { Message } from "../../types/messages";
import type { PlayedRollout, ScoreWork } from "../perform-rollout";
import type { StoreOp, StoreReply, StoreRequest } from "./protocol";
import { BATCH_MAX_DELAY_MS, BATCH_MAX_OPS, RolloutStorageError, type RolloutSink } from "../sink";
import { RolloutWriter } from "./writer";

/** Batches (about BATCH_MAX_DELAY_MS of play each) the thread may fall behind before the runner waits. */
const MAX_IN_FLIGHT = 8;

export class ThreadedRolloutWriter implements RolloutSink {
  finalized = 0;
  private ops: StoreOp[] = [];
  private lastPost = Date.now();
  private posted = 0;
  private acked = 0;
  private failure: RolloutStorageError | null = null;
  private waiters: { seq: number; resolve: () => void; reject: (err: Error) => void }[] = [];

  constructor(
    private readonly thread: RolloutStoreThread,
    readonly job: number,
  ) {}

  start(row: RolloutStart): void {
    this.queue({ kind: "start", row });
  }

  message(rolloutId: string, idx: number, message: Message): void {
    this.queue({ kind: "message", rolloutId, idx, message });
  }

  finish(work: ScoreWork, played: PlayedRollout, finishedAt: number): void {
    const { messages, ...rest } = played;
    const ref = { rolloutId: work.rolloutId, experimentId: work.experimentId, groupId: work.groupId, taskId: work.task.id, sample: work.sample, preset: work.preset };
    this.queue({ kind: "finish", ref, played: rest, messageCount: messages.length, finishedAt });
  }

  fail(final: RolloutFinal): void {
    this.queue({ kind: "final", final });
  }

  flush(): Promise<void> {
    this.post();
    return this.waitFor(this.posted);
  }

  pace(): Promise<void> | void {
    if (this.ops.length > 0 && Date.now() - this.lastPost >= BATCH_MAX_DELAY_MS) this.post();
    if (this.failure) throw this.failure;
    if (this.posted - this.acked > MAX_IN_FLIGHT) return this.waitFor(this.posted - MAX_IN_FLIGHT / 2);
  }

  publish(): void {
    this.post();
  }

  close(): void {
    this.thread.closeJob(this);
  }

  /** From the thread: batches up to `seq` are committed. */
  onAck(seq: number, finalized: number): void {
    this.acked = Math.max(this.acked, seq);
    this.finalized = finalized;
    const ready = this.waiters.filter((w) => w.seq <= this.acked);
    this.waiters = this.waiters.filter((w) => w.seq > this.acked);
    for (const w of ready) w.resolve();
  }

  /** `cause`: the thread's error (with SQLite's code), or a RetryableError when the thread itself died. */
  onError(cause: Error): void {
    this.failure ??= new RolloutStorageError(cause);
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(this.failure);
  }

  private queue(op: StoreOp): void {
    if (this.failure) throw this.failure;
    this.ops.push(op);
    if (this.ops.length >= BATCH_MAX_OPS || Date.now() - this.lastPost >= BATCH_MAX_DELAY_MS) this.post();
  }

  private post(): void {
    this.lastPost = Date.now();
    if (this.ops.length === 0 || this.failure) return;
    const ops = this.ops;
    this.ops = [];
    this.posted++;
    this.thread.send({ type: "batch", job: this.job, seq: this.posted, ops });
  }

  private waitFor(seq: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (seq <= this.acked) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ seq, resolve, reject }));
  }
}

export class RolloutStoreThread {
  private worker: Worker | null = null;
  private readonly jobs = new Map<number, ThreadedRolloutWriter>();
  private nextJob = 1;

  constructor(private readonly spawn: () => Worker) {}

  /** Jobs opened on this thread object so far (diagnostics, tests). */
  get jobsOpened(): number {
    return this.nextJob - 1;
  }

  /** A sink for one job; throws if the thread cannot start. */
  openJob(dbPath: string, taskSetId: number | null, taskIds: string[]): ThreadedRolloutWriter {
    const worker = this.ensureWorker();
    const writer = new ThreadedRolloutWriter(this, this.nextJob++);
    this.jobs.set(writer.job, writer);
    worker.ref();
    this.send({ type: "open", job: writer.job, dbPath, taskSetId, taskIds });
    return writer;
  }

  send(message: StoreRequest): void {
    this.worker?.postMessage(message);
  }

  closeJob(writer: ThreadedRolloutWriter): void {
    if (!this.jobs.delete(writer.job)) return;
    this.send({ type: "close", job: writer.job });
    // An idle thread never keeps the process alive (CLI, tests).
    if (this.jobs.size === 0) this.worker?.unref();
  }

  /** Ends the thread (tests, shutdown); open jobs get a storage error. */
  async terminate(): Promise<void> {
    const worker = this.worker;
    this.died(new Error("the rollout store thread was stopped"));
    await worker?.terminate();
  }

  /** Starts the thread ahead of the first job (it takes about a second to load); it stays unreferenced until a job opens. */
  prestart(): void {
    if (!this.worker) this.ensureWorker().unref();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.spawn();
    worker.on("message", (m: StoreReply) => {
      const writer = this.jobs.get(m.job);
      if (!writer) return;
      if (m.type === "ack") writer.onAck(m.seq, m.finalized);
      else writer.onError(Object.assign(new Error(m.message), m.code ? { code: m.code } : {}));
    });
    worker.on("error", (err) => {
      if (this.worker === worker) this.died(err instanceof Error ? err : new Error(String(err)));
    });
    worker.on("exit", (code) => {
      if (this.worker === worker) this.died(new Error(`the rollout store thread exited with code ${code}`));
    });
    this.worker = worker;
    return worker;
  }

  private died(err: Error): void {
    this.worker = null;
    const writers = [...this.jobs.values()];
    this.jobs.clear();
    // Not the data's fault: the job retries (and gets a new thread).
    for (const w of writers) w.onError(new RetryableError(err.message));
  }
}

let shared: RolloutStoreThread | null = null;

function storeThread(): RolloutStoreThread {
  shared ??= new RolloutStoreThread(() =>
    startThread({ source: () => new URL("./thread.worker.ts", import.meta.url), repoPath: "lib/rollouts/store/thread.worker.ts" }),
  );
  return shared;
}

/** The store thread is on (WRIT_ROLLOUT_THREAD) and there is a second core for it. */
function storeThreadAllowed(): boolean {
  return getEnv().WRIT_ROLLOUT_THREAD === "1" && availableParallelism() >= 2;
}

export interface OpenSinkOptions {
  durable: boolean;
  taskSetId: number | null;
  taskIds: string[];
  log?: (message: string) => void;
}

/** The sink for one experiment job: the store thread when it applies and starts, else a RolloutWriter on this thread. */
export function openRolloutSink(db: Db, options: OpenSinkOptions): RolloutSink {
  if (!options.durable && !db.$client.memory && storeThreadAllowed()) {
    try {
      return storeThread().openJob(db.$client.name, options.taskSetId, options.taskIds);
    } catch (err) {
      options.log?.(`rollout store thread unavailable (${(err as Error).message}); storing on this thread`);
    }
  }
  return new RolloutWriter(db, { durable: options.durable });
}

/** Worker boot: starts the store thread now so the first experiment does not wait for it to load. */
export function prestartRolloutStoreThread(): void {
  if (storeThreadAllowed()) storeThread().prestart();
}

/** Jobs this process has sent to its store thread so far. */
export function rolloutStoreThreadJobs(): number {
  return shared?.jobsOpened ?? 0;
}

/** Stops the store thread (tests); open jobs get a storage error, the next job starts a new thread. */
export async function stopRolloutStoreThread(): Promise<void> {
  const thread = shared;
  shared = null;
  await thread?.terminate();
}
