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
import type { Worker } from "node:worker_threads";
import { getEnv } from "../settings";
import { processThread } from "../threads/process-thread";
import { RequestThread } from "../threads/request-thread";
import { startThread } from "../threads/start-thread";
import { databasePath } from "../threads/store";
import { serve, type ServeInput, type ServeOutput } from "./serve";
import type { ThreadReply, ThreadRequest } from "./thread-protocol";
import type { Db } from "../../db/client";

export const RUN_TIMEOUT_MS = 60_000;
export const MAX_FAILURES = 3;

export class ScoringThread {
  private readonly thread: RequestThread<ThreadRequest, ThreadReply, ServeOutput>;

  constructor(
    spawn: () => Worker,
    log: (message: string) => void = (m) => console.error(`[scoring-thread] ${m}`),
    timeoutMs = RUN_TIMEOUT_MS,
  ) {
    this.thread = new RequestThread<ThreadRequest, ThreadReply, ServeOutput>({
      spawn,
      name: "the scoring thread",
      restarts: "on the next request",
      log,
      timeoutMs,
      maxFailures: MAX_FAILURES,
      read: (msg) => (msg.output ? { id: msg.id, result: msg.output } : { id: msg.id, error: new Error(msg.error) }),
    });
  }

  get usable(): boolean {
    return this.thread.usable;
  }

  run(dbPath: string, input: ServeInput): Promise<ServeOutput> {
    try {
      const { id, post, done } = this.thread.open();
      post({ id, dbPath, input });
      return done;
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }

  close(): Promise<void> {
    return this.thread.close();
  }
}

/**
 * The thread runs from source through tsx (lib/threads/start-thread.ts), also under Next.js:
 * it opens SQLite, and a worker chunk bundled by Next.js cannot load better-sqlite3 (the
 * bundle has no `__dirname` for its native binding). The server runs from the repository
 * (`npm start`), so the entry is found from the working directory there.
 */
export function spawnScoringThread(): Worker {
  return startThread({ source: () => new URL("./thread.worker.ts", import.meta.url), repoPath: "lib/reward-serving/thread.worker.ts" });
}

const slot = processThread("scoring", () => getEnv().WRIT_SCORING_THREAD !== "0", () => new ScoringThread(spawnScoringThread));

/** The process's scoring thread, or null when scoring stays on the request thread. */
export function scoringThread(): ScoringThread | null {
  return slot.get();
}

/** Tests: forget the process's thread (closing it) so the next request decides again. */
export function resetScoringThread(): Promise<void> {
  return slot.reset();
}

/** Serve a request on the scoring thread when there is one, else (or when it fails) here; `x-writ-scored-on` says where. */
export async function serveScoring(db: Db, input: ServeInput): Promise<ServeOutput> {
  const thread = scoringThread();
  if (thread?.usable) {
    try {
      const out = await thread.run(databasePath(db), input);
      return { ...out, headers: { ...out.headers, "x-writ-scored-on": "scoring-thread" } };
    } catch {
      // Logged by the thread manager; this request is answered here.
    }
  }
  const out = await serve(db, input);
  return { ...out, headers: { ...out.headers, "x-writ-scored-on": "request-thread" } };
}
