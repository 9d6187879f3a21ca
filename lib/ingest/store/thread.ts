/**
 * POST /api/v1/ingest on both cores. The request thread parses each event, scores its
 * trajectories and plans its message rows (../prepare.ts) and posts it, one event at a time, to
 * the ingest thread (./thread.worker.ts), which has its own SQLite connection and stores
 * the events in ONE transaction with a savepoint each, through the same code as `ingestBatch`
 * (../ingest.ts applyStoreEvent). While it stores event k, this thread prepares event k+1. The
 * answer waits for the commit, so the 207's per-event statuses are what was stored.
 *
 * - Same rows as `ingestBatch` on one thread (tests/ingest-thread.test.ts compares them).
 * - One batch at a time on the thread (a second request waits for the first to commit): the
 *   thread's connection holds one transaction, and SQLite has one writer anyway.
 * - A thread that fails, dies or gives no answer within RUN_TIMEOUT_MS is dropped; its open
 *   transaction rolls back, and the batch is stored on the request thread instead (`ingestBatch`;
 *   a batch the thread had committed just before dying is then answered as replays: 200
 *   unchanged). After MAX_FAILURES the process stops using a thread.
 * - Not used with WRIT_INGEST_THREAD=0, one core, or an in-memory database.
 */
import type { Worker } from "node:worker_threads";
import type { Db } from "../../../db/client";
import { retryBusy } from "../../../db/retry";
import { getEnv } from "../../settings";
import { processThread } from "../../threads/process-thread";
import { RequestThread } from "../../threads/request-thread";
import { startThread } from "../../threads/start-thread";
import { parseEvent } from "../events";
import { ingestBatch, type IngestResult } from "../ingest";
import type { IngestThreadReply, IngestThreadRequest } from "./thread-protocol";
import { prepareEvent, type RunSets } from "../prepare";

export const RUN_TIMEOUT_MS = 120_000;
export const MAX_FAILURES = 3;
/** The request thread lets other work in (other requests, timers) after this much preparing. */
const SLICE_MS = 50;

export class IngestThread {
  private readonly thread: RequestThread<IngestThreadRequest, IngestThreadReply, IngestResult>;
  /** The batch in progress: the next one starts when it has committed (or failed). */
  private turn: Promise<unknown> = Promise.resolve();

  constructor(
    spawn: () => Worker,
    log: (message: string) => void = (m) => console.error(`[ingest-thread] ${m}`),
    timeoutMs = RUN_TIMEOUT_MS,
  ) {
    this.thread = new RequestThread<IngestThreadRequest, IngestThreadReply, IngestResult>({
      spawn,
      name: "the ingest thread",
      restarts: "with the next batch",
      log,
      timeoutMs,
      maxFailures: MAX_FAILURES,
      read: (msg) =>
        msg.type === "done"
          ? { id: msg.session, result: msg.result }
          : { id: msg.session, error: Object.assign(new Error(msg.message), msg.code ? { code: msg.code } : {}) },
    });
  }

  get usable(): boolean {
    return this.thread.usable;
  }

  /** Stores `batch` through the thread; rejects when the thread cannot (nothing of the batch is then stored). */
  ingest(db: Db, batch: readonly unknown[]): Promise<IngestResult> {
    const run = this.turn.then(() => this.session(db, batch));
    this.turn = run.catch(() => undefined);
    return run;
  }

  private async session(db: Db, batch: readonly unknown[]): Promise<IngestResult> {
    const { id: session, post, done } = this.thread.open();
    post({ type: "begin", session, dbPath: db.$client.name, now: Date.now() });
    try {
      const runs: RunSets = new Map();
      let slice = performance.now();
      for (let i = 0; i < batch.length; i++) {
        post({ type: "event", session, event: prepareEvent(db, parseEvent(batch[i], i), runs) });
        if (performance.now() - slice > SLICE_MS) {
          await new Promise((r) => setImmediate(r));
          slice = performance.now();
        }
      }
      post({ type: "commit", session });
    } catch (err) {
      post({ type: "abort", session });
      throw err;
    }
    return done;
  }

  close(): Promise<void> {
    return this.thread.close();
  }
}

/** From source through tsx, also under Next.js: it opens SQLite (lib/threads/start-thread.ts). */
export function spawnIngestThread(): Worker {
  return startThread({ source: () => new URL("./thread.worker.ts", import.meta.url), repoPath: "lib/ingest/store/thread.worker.ts" });
}

const slot = processThread("ingest", () => getEnv().WRIT_INGEST_THREAD !== "0", () => new IngestThread(spawnIngestThread));

/** The process's ingest thread, or null when ingestion stays on the request thread. */
export function ingestThread(): IngestThread | null {
  return slot.get();
}

/** Tests: forget the process's thread (closing it) so the next batch decides again. */
export function resetIngestThread(): Promise<void> {
  return slot.reset();
}

/**
 * The route's ingest: on the ingest thread when there is one (and the database is a file),
 * else, or when the thread fails, `ingestBatch` here (busy moments retried briefly).
 */
export async function ingestEvents(db: Db, batch: readonly unknown[]): Promise<IngestResult> {
  const thread = db.$client.memory ? null : ingestThread();
  if (thread?.usable) {
    try {
      return await thread.ingest(db, batch);
    } catch (err) {
      console.error(`[ingest-thread] batch stored on the request thread instead: ${(err as Error).message}`);
    }
  }
  return retryBusy(() => ingestBatch(db, batch));
}
