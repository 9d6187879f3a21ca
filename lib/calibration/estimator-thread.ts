/**
 * A second thread for the workbench's recompute. On a slider move the analysis route needs all
 * four estimators; the configured one and the sections run on the request thread while the
 * thread summarises the others (lib/analysis delegableEstimators) on its own copy of the data,
 * so a 2-core server answers in about half the time. Results are identical to the one-thread
 * path (the same functions on the same numbers; test in lib/analysis/analyze.test.ts).
 *
 * The thread only serves data it already holds: requests on new data run on one thread, and the
 * second request on the same data version hands the thread a copy in the background. A crash, an error or a run
 * without an answer in RUN_TIMEOUT_MS rejects the waiting runs (the caller computes them
 * itself) and drops the thread; after MAX_FAILURES the process stops using one. The thread
 * answers runs in order, so a run's clock starts when the run before it is answered (time spent
 * queued behind other runs is not the thread hanging), and an expired clock first lets pending
 * messages in (a busy request thread may not have read an answer that already came).
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { snapshotBuffers, snapshotColumnar, type ColumnarRollouts, type EstimatorKind, type SliceSpec } from "../analysis";
import { getEnv } from "../settings";
import { startThread } from "../threads/start-thread";
import type { RewardConfig } from "../rewards";
import type { EstimatorSummaries, ThreadReply, ThreadRequest } from "./estimator-thread-protocol";

export type { EstimatorSummaries } from "./estimator-thread-protocol";

export const RUN_TIMEOUT_MS = 5_000;
export const MAX_FAILURES = 3;

const dataIds = new WeakMap<ColumnarRollouts, number>();
let nextDataId = 1;

/** Identity and version of a data object: a thread holding this key holds exactly this data. */
export function dataKey(data: ColumnarRollouts): string {
  let id = dataIds.get(data);
  if (id === undefined) {
    id = nextDataId++;
    dataIds.set(data, id);
  }
  return `${id}:${data.version}`;
}

interface Waiting {
  resolve: (s: EstimatorSummaries) => void;
  reject: (err: Error) => void;
  /** Set while the run is the oldest unanswered one (the one the thread is computing). */
  timer: ReturnType<typeof setTimeout> | null;
}

export interface WarmRun {
  config: RewardConfig;
  slice: SliceSpec | null;
  kinds: EstimatorKind[];
}

export class EstimatorThread {
  private worker: Worker | null = null;
  private heldKey: string | null = null;
  private loadingKey: string | null = null;
  /** The data last offered (copied only when offered again unchanged). */
  private lastOffered: string | null = null;
  private nextRunId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private failures = 0;
  private disabled = false;

  constructor(
    private readonly spawn: () => Worker,
    private readonly log: (message: string) => void = (m) => console.error(`[analysis-thread] ${m}`),
    private readonly timeoutMs = RUN_TIMEOUT_MS,
  ) {}

  get usable(): boolean {
    return !this.disabled;
  }

  /** Runs posted to the thread and not answered yet (its queue, the one it is computing included). */
  get backlog(): number {
    return this.waiting.size;
  }

  /** The thread holds `data` at its current version and can summarise it now. */
  holds(data: ColumnarRollouts): boolean {
    return !this.disabled && this.worker !== null && this.heldKey === dataKey(data);
  }

  /**
   * Copy `data` to the thread in the background once the same data version has been offered
   * twice in a row, unless the thread holds it or a copy is on its way. While an experiment is
   * running its data changes between two polls: copying every version would keep a second core
   * busy for nothing, and take it from the rollout workers.
   */
  offer(data: ColumnarRollouts, warm: WarmRun | null): void {
    if (this.disabled || this.loadingKey !== null || this.holds(data)) return;
    const key = dataKey(data);
    if (this.lastOffered !== key) {
      this.lastOffered = key;
      return;
    }
    const worker = this.ensureWorker();
    if (!worker) return;
    const snapshot = snapshotColumnar(data);
    this.loadingKey = key;
    const message: ThreadRequest = { type: "load", key, snapshot, warm };
    worker.postMessage(message, snapshotBuffers(snapshot));
  }

  /** The summaries of `kinds` for `data` (which the thread must hold). */
  summarize(data: ColumnarRollouts, config: RewardConfig, slice: SliceSpec | null, kinds: EstimatorKind[]): Promise<EstimatorSummaries> {
    const worker = this.worker;
    const key = dataKey(data);
    if (!worker || !this.holds(data)) return Promise.reject(new Error(`the analysis thread does not hold ${key}`));
    const id = this.nextRunId++;
    return new Promise<EstimatorSummaries>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, timer: null });
      if (this.waiting.size === 1) this.startClock();
      const message: ThreadRequest = { type: "run", id, key, config, slice, kinds };
      worker.postMessage(message);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.drop(new Error("the analysis thread was closed"));
    this.disabled = true;
    if (worker) await worker.terminate();
  }

  private onMessage(msg: ThreadReply): void {
    if (msg.type === "loaded") {
      if (this.loadingKey === msg.key) {
        this.heldKey = msg.key;
        this.loadingKey = null;
      }
      return;
    }
    if (msg.type === "error" && msg.id === null) {
      if (this.loadingKey === msg.key) this.loadingKey = null;
      this.log(`loading ${msg.key} failed: ${msg.message}`);
      return;
    }
    const waiting = msg.id === null ? undefined : this.waiting.get(msg.id);
    if (!waiting || msg.id === null) return;
    this.waiting.delete(msg.id);
    if (waiting.timer) clearTimeout(waiting.timer);
    this.startClock();
    if (msg.type === "result") waiting.resolve(msg.summaries);
    else waiting.reject(new Error(msg.message));
  }

  /**
   * Start the timeout of the oldest unanswered run, if not started. On expiry, a setImmediate
   * lets the event loop's poll phase deliver an answer that is already there before failing.
   */
  private startClock(): void {
    const head = this.waiting.entries().next();
    if (head.done || head.value[1].timer) return;
    const [id, run] = head.value;
    run.timer = setTimeout(() => {
      setImmediate(() => {
        if (this.waiting.get(id) === run) this.fail(new Error(`no answer within ${this.timeoutMs} ms`));
      });
    }, this.timeoutMs);
  }

  /** Reject everything waiting and forget the thread (it is terminated by the caller). */
  private drop(err: Error): void {
    this.worker = null;
    this.heldKey = null;
    this.loadingKey = null;
    for (const w of this.waiting.values()) {
      if (w.timer) clearTimeout(w.timer);
      w.reject(err);
    }
    this.waiting.clear();
  }

  /** A crash, an unexpected exit or a timeout. */
  private fail(err: Error): void {
    const worker = this.worker;
    this.drop(err);
    if (worker) void worker.terminate();
    this.failures++;
    if (this.failures >= MAX_FAILURES) {
      this.disabled = true;
      this.log(`${err.message}; failed ${this.failures} times, analysis runs on one thread from now on`);
    } else this.log(`${err.message}; the thread is restarted on the next request`);
  }

  private ensureWorker(): Worker | null {
    if (this.worker) return this.worker;
    let worker: Worker;
    try {
      worker = this.spawn();
    } catch (err) {
      this.disabled = true;
      this.log(`cannot start: ${(err as Error).message}; analysis runs on one thread`);
      return null;
    }
    // Never keeps the process alive on its own (CLI, tests); a server is kept alive by its socket.
    worker.unref();
    worker.on("message", (m: ThreadReply) => this.onMessage(m));
    worker.on("error", (err) => {
      if (this.worker === worker) this.fail(err instanceof Error ? err : new Error(String(err)));
    });
    worker.on("exit", (code) => {
      if (this.worker === worker) this.fail(new Error(`the thread exited with code ${code}`));
    });
    this.worker = worker;
    return worker;
  }
}

/**
 * The thread. In the Next server (NEXT_RUNTIME is set) the entry is bundled: Turbopack compiles
 * the `new Worker(new URL(…))` form written here into a worker chunk. Run from source (tests,
 * scripts under tsx) it is loaded through tsx's require hook, since a worker does not inherit
 * the parent's TypeScript loader (lib/threads/start-thread.ts).
 */
export function spawnAnalysisThread(): Worker {
  return startThread({
    source: () => new URL("./estimator-thread.worker.ts", import.meta.url),
    repoPath: "lib/calibration/estimator-thread.worker.ts",
    bundled: () => new Worker(new URL("./estimator-thread.worker.ts", import.meta.url)),
  });
}

let shared: EstimatorThread | null | undefined;

/**
 * The process's analysis thread, or null when there is no second core or WRIT_ANALYSIS_THREAD=0.
 */
export function getEstimatorThread(): EstimatorThread | null {
  if (shared === undefined) {
    shared = getEnv().WRIT_ANALYSIS_THREAD === "0" || availableParallelism() < 2 ? null : new EstimatorThread(spawnAnalysisThread);
  }
  return shared && shared.usable ? shared : null;
}
