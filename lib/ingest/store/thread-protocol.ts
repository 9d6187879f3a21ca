/** Messages between the request thread (./thread.ts) and the ingest thread (./thread.worker.ts). */
import type { IngestResult, StoreEvent } from "../ingest";

export type IngestThreadRequest =
  /** Opens the batch's transaction on `dbPath`; `now` stamps its rows. */
  | { type: "begin"; session: number; dbPath: string; now: number }
  /** The next event of the batch, prepared (./prepare.ts). */
  | { type: "event"; session: number; event: StoreEvent }
  /** The last event was sent: commit and answer. */
  | { type: "commit"; session: number }
  /** The request thread failed while preparing: roll back, no answer. */
  | { type: "abort"; session: number };

export type IngestThreadReply =
  | { type: "done"; session: number; result: IngestResult }
  /** Nothing of the batch was stored; `code` is SQLite's when it has one. */
  | { type: "failed"; session: number; message: string; code?: string };
