/**
 * The ingest thread (./thread.ts): stores one batch at a time on its own connection to
 * the same SQLite file, in one immediate transaction opened by "begin" and committed by
 * "commit", each event in a savepoint through ../ingest.ts applyStoreEvent (the one-thread path's
 * own code). Any failure outside an event rolls the whole batch back and is answered "failed",
 * so the request thread can store it itself.
 */
import { parentPort } from "node:worker_threads";
import type { Db } from "../../../db/client";
import { threadConnection } from "../../threads/store";
import { applyStoreEvent, emptyIngestResult, type IngestResult, type StoreEvent } from "../ingest";
import type { IngestThreadReply, IngestThreadRequest } from "./thread-protocol";

interface Session {
  id: number;
  db: Db | null;
  now: number;
  result: IngestResult;
  failure: Error | null;
}

let session: Session | null = null;

/** Structured cloning turns a Buffer into a plain Uint8Array; SQLite binds Buffers. */
function restoreBuffers(e: StoreEvent): StoreEvent {
  if ("type" in e && e.type === "group.create" && e.body.scored) {
    for (const s of e.body.scored.trajectories) {
      const d = s.classRow.data as Uint8Array;
      if (!Buffer.isBuffer(d)) s.classRow.data = Buffer.from(d.buffer, d.byteOffset, d.byteLength);
    }
  }
  return e;
}

function rollback(db: Db | null): void {
  if (db?.$client.inTransaction) db.$client.exec("ROLLBACK");
}

function reply(m: IngestThreadReply): void {
  parentPort?.postMessage(m);
}

parentPort?.on("message", (m: IngestThreadRequest) => {
  if (m.type === "begin") {
    // A session left open by a request thread that never finished it is abandoned.
    if (session) rollback(session.db);
    session = { id: m.session, db: null, now: m.now, result: emptyIngestResult(), failure: null };
    try {
      // This connection only ingests.
      session.db = threadConnection(m.dbPath);
      session.db.$client.exec("BEGIN IMMEDIATE");
    } catch (err) {
      session.failure = err as Error;
    }
    return;
  }
  const s = session;
  if (!s || s.id !== m.session) return;
  if (m.type === "event") {
    if (s.failure || !s.db) return;
    try {
      applyStoreEvent(s.db, restoreBuffers(m.event), s.now, s.result);
    } catch (err) {
      s.failure = err as Error;
    }
    return;
  }
  session = null;
  if (m.type === "abort") {
    rollback(s.db);
    return;
  }
  if (!s.failure && s.db) {
    try {
      s.db.$client.exec("COMMIT");
      reply({ type: "done", session: s.id, result: s.result });
      return;
    } catch (err) {
      s.failure = err as Error;
    }
  }
  try {
    rollback(s.db);
  } catch {
    // The connection is unusable; the request thread stores the batch on its own connection.
  }
  const err = s.failure ?? new Error("no database");
  const code = (err as { code?: unknown }).code;
  reply({ type: "failed", session: s.id, message: err.message, ...(typeof code === "string" ? { code } : {}) });
});
