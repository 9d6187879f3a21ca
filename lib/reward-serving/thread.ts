/**
 * Scoring off the request thread. A trainer keeps the scoring endpoint busy (8 concurrent
 * clients, each group a few ms of CPU); on the web server's one JS thread that load would
 * queue every page behind it. With 2+ cores the requests go to a scoring thread (one worker
 * thread with its own SQLite connection) and the request thread only reads bodies and writes
 * answers. The answer is the same either way: both threads run ./serve.ts.
 *
 * A thread that crashes, errors or gives no answer within RUN_TIMEOUT_MS is dropped and the
 * waiting requests are served on the request thread; after MAX_FAILURES the process stops
 * using one. WRIT_SCORING_THREAD=0 (or one core) keeps everything on the request thread.
 */
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { getEnv } from "../env";
import { spawnSourceThread } from "../threads/source-thread";
import { serve, type ServeInput, type ServeOutput } from "./serve";
import type { ThreadReply, ThreadRequest } from "./thread-protocol";
import type { Db } from "../../db/client";

export const RUN_TIMEOUT_MS = 60_000;
export const MAX_FAILURES = 3;

interface Waiting {
  resolve: (o: ServeOutput) => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class ScoringThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private failures = 0;
  private disabled = false;

  constructor(
    private readonly spawn: () => Worker,
    private readonly log: (message: string) => void = (m) => console.error(`[scoring-thread] ${m}`),
    private readonly timeoutMs = RUN_TIMEOUT_MS,
  ) {}

  get usable(): boolean {
    return !this.disabled;
  }

  run(dbPath: string, input: ServeInput): Promise<ServeOutput> {
    const worker = this.ensure();
    if (!worker) return Promise.reject(new Error("the scoring thread is not available"));
    const id = this.nextId++;
    return new Promise<ServeOutput>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      this.waiting.set(id, { resolve, reject, timer });
      worker.postMessage({ id, dbPath, input } satisfies ThreadRequest);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.drop(new Error("the scoring thread was closed"));
    this.disabled = true;
    if (worker) await worker.terminate();
  }

  private ensure(): Worker | null {
    if (this.disabled) return null;
    if (this.worker) return this.worker;
    try {
      const w = this.spawn();
      w.on("message", (msg: ThreadReply) => this.onMessage(msg));
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

  private onMessage(msg: ThreadReply): void {
    const waiting = this.waiting.get(msg.id);
    if (!waiting) return;
    this.waiting.delete(msg.id);
    clearTimeout(waiting.timer);
    if (msg.output) waiting.resolve(msg.output);
    else waiting.reject(new Error(msg.error));
  }

  private fail(err: Error): void {
    this.failures++;
    this.log(`dropped (${err.message}); ${this.failures >= MAX_FAILURES ? "no longer used" : "a new one starts on the next request"}`);
    const worker = this.worker;
    this.drop(err);
    if (worker) void worker.terminate();
    if (this.failures >= MAX_FAILURES) this.disabled = true;
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

/**
 * The thread runs from source through tsx (lib/threads/source-thread.ts), also under Next.js:
 * it opens SQLite, and a worker chunk bundled by Next.js cannot load better-sqlite3 (the
 * bundle has no `__dirname` for its native binding). The server runs from the repository
 * (`npm start`), so the entry is found from the working directory there.
 */
export function spawnScoringThread(): Worker {
  const entry = process.env.NEXT_RUNTIME ? pathToFileURL(join(process.cwd(), "lib/reward-serving/thread.worker.ts")) : new URL("./thread.worker.ts", import.meta.url);
  return spawnSourceThread(entry);
}

const holder = globalThis as typeof globalThis & { __writRewardScoringThread?: ScoringThread | null };

/** The process's scoring thread, or null when scoring stays on the request thread. */
export function scoringThread(): ScoringThread | null {
  if (holder.__writRewardScoringThread === undefined) {
    holder.__writRewardScoringThread = getEnv().WRIT_SCORING_THREAD === "0" || availableParallelism() < 2 ? null : new ScoringThread(spawnScoringThread);
  }
  return holder.__writRewardScoringThread;
}

/** Tests: forget the process's thread (closing it) so the next request decides again. */
export async function resetScoringThread(): Promise<void> {
  const t = holder.__writRewardScoringThread;
  holder.__writRewardScoringThread = undefined;
  if (t) await t.close();
}

/** Serve a request on the scoring thread when there is one, else (or when it fails) here; `x-writ-scored-on` says where. */
export async function serveScoring(db: Db, input: ServeInput): Promise<ServeOutput> {
  const thread = scoringThread();
  if (thread?.usable) {
    try {
      const out = await thread.run(db.$client.name, input);
      return { ...out, headers: { ...out.headers, "x-writ-scored-on": "scoring-thread" } };
    } catch {
      // Logged by the thread manager; this request is answered here.
    }
  }
  const out = await serve(db, input);
  return { ...out, headers: { ...out.headers, "x-writ-scored-on": "request-thread" } };
}
