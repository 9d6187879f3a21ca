/**
 * One worker thread that answers requests, for work moved off the request thread (ingest:
 * lib/ingest/store/thread.ts, scoring: lib/reward-serving/thread.ts). Each request waits under
 * a numeric id until the thread's reply names that id, or until `timeoutMs`.
 *
 * A thread that errors, exits or gives no answer in time is dropped: every waiting request is
 * rejected (the caller then does the work on the request thread) and a new thread starts with
 * the next request. After `maxFailures` drops the process stops using one (`usable` is false).
 */
import type { Worker } from "node:worker_threads";

/** How a reply ends the request it names: with a result, or with the error to reject with. */
export type ReplyOutcome<Result> = { id: number } & ({ result: Result; error?: undefined } | { error: Error; result?: undefined });

export interface RequestThreadOptions<Reply, Result> {
  /** Starts the worker (called again after a drop). */
  spawn: () => Worker;
  /** Names the thread in errors, e.g. "the ingest thread". */
  name: string;
  /** When a dropped thread is replaced, for the log line, e.g. "with the next batch". */
  restarts: string;
  log: (message: string) => void;
  timeoutMs: number;
  maxFailures: number;
  read: (reply: Reply) => ReplyOutcome<Result>;
}

interface Waiting<Result> {
  resolve: (r: Result) => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** A request just opened: post its messages with `post`, then await `done` for the reply. */
export interface OpenRequest<Request, Result> {
  id: number;
  post: (message: Request) => void;
  done: Promise<Result>;
}

export class RequestThread<Request, Reply, Result> {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting<Result>>();
  private failures = 0;
  private disabled = false;

  constructor(private readonly options: RequestThreadOptions<Reply, Result>) {}

  get usable(): boolean {
    return !this.disabled;
  }

  /** Starts waiting for a new request's reply (its timeout runs from now); throws when no thread is available. */
  open(): OpenRequest<Request, Result> {
    const worker = this.ensure();
    if (!worker) throw new Error(`${this.options.name} is not available`);
    const id = this.nextId++;
    const { timeoutMs } = this.options;
    const done = new Promise<Result>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      this.waiting.set(id, { resolve, reject, timer });
    });
    return { id, post: (message) => worker.postMessage(message), done };
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.drop(new Error(`${this.options.name} was closed`));
    this.disabled = true;
    if (worker) await worker.terminate();
  }

  private ensure(): Worker | null {
    if (this.disabled) return null;
    if (this.worker) return this.worker;
    try {
      const w = this.options.spawn();
      w.on("message", (msg: Reply) => this.onMessage(msg));
      w.on("error", (err) => this.fail(err));
      w.on("exit", (code) => {
        if (this.worker === w) this.fail(new Error(`exited with code ${code}`));
      });
      w.unref();
      this.worker = w;
      return w;
    } catch (err) {
      this.fail(err as Error);
      return null;
    }
  }

  private onMessage(msg: Reply): void {
    const outcome = this.options.read(msg);
    const waiting = this.waiting.get(outcome.id);
    if (!waiting) return;
    this.waiting.delete(outcome.id);
    clearTimeout(waiting.timer);
    if (outcome.error) waiting.reject(outcome.error);
    else waiting.resolve(outcome.result as Result);
  }

  private fail(err: Error): void {
    const { maxFailures, restarts } = this.options;
    this.failures++;
    this.options.log(`dropped (${err.message}); ${this.failures >= maxFailures ? "no longer used" : `a new one starts ${restarts}`}`);
    const worker = this.worker;
    this.drop(err);
    if (worker) void worker.terminate();
    if (this.failures >= maxFailures) this.disabled = true;
  }

  private drop(err: Error): void {
    this.worker = null;
    for (const w of this.waiting.values()) {
      clearTimeout(w.timer);
      w.reject(err);
    }
    this.waiting.clear();
  }
}
