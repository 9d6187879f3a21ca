/**
 * The rollout store thread: scores played rollouts and writes them to SQLite on its own
 * connections (one per database file, closed with its last job), so the worker's main thread
 * only plays conversations. It runs the same RolloutWriter as the one-thread path, fed by
 * batches from ThreadedRolloutWriter; each batch is one transaction, acknowledged once committed.
 */
import { parentPort } from "node:worker_threads";
import { closeDb, openDb, type Db } from "../../../db/client";
import { getRolloutMessages } from "../../../db/queries/rollouts";
import { loadTaskBodies, resolveScoring, type Scoring } from "./run-tasks";
import type { Message } from "../../types/messages";
import type { Task } from "../../types/task";
import { erroredRolloutFinal } from "../perform-rollout";
import type { StoreOp, StoreReply, StoreRequest } from "./protocol";
import { RolloutStorageError } from "../sink";
import { RolloutWriter } from "./writer";

interface JobStore {
  dbPath: string;
  db: Db;
  writer: RolloutWriter;
  bodies: Map<string, Task>;
  scoring: Scoring;
  /** Messages seen per rollout, in order, until its finish op. */
  seen: Map<string, Message[]>;
}

const connections = new Map<string, { db: Db; jobs: number }>();
const jobs = new Map<number, JobStore>();

function reply(message: StoreReply): void {
  parentPort?.postMessage(message);
}

function openJob(job: number, dbPath: string, taskSetId: number | null, taskIds: string[]): void {
  let conn = connections.get(dbPath);
  if (!conn) connections.set(dbPath, (conn = { db: openDb(dbPath), jobs: 0 }));
  const { db } = conn;
  conn.jobs++;
  jobs.set(job, {
    dbPath,
    db,
    // Batching is the runner's: one transaction per batch, flushed when the batch is applied.
    writer: new RolloutWriter(db, { durable: false, maxOps: Number.POSITIVE_INFINITY, maxDelayMs: Number.POSITIVE_INFINITY }),
    bodies: taskSetId !== null ? loadTaskBodies(db, taskSetId, taskIds) : new Map(),
    scoring: resolveScoring(db, taskSetId),
    seen: new Map(),
  });
}

function closeJob(job: number): void {
  const store = jobs.get(job);
  if (!store) return;
  jobs.delete(job);
  releaseConnection(store.dbPath, true);
}

/** Drops one job's hold on a connection (`counted`: the job had taken one); the last one closes it. */
function releaseConnection(dbPath: string, counted: boolean): void {
  const conn = connections.get(dbPath);
  if (!conn) return;
  if (counted) conn.jobs--;
  if (conn.jobs <= 0) {
    connections.delete(dbPath);
    closeDb(conn.db);
  }
}

function messagesOf(store: JobStore, rolloutId: string, count: number): Message[] {
  const seen = store.seen.get(rolloutId) ?? [];
  store.seen.delete(rolloutId);
  if (seen.length === count) return seen;
  // A resumed rollout: the first messages were saved by an earlier attempt. Everything this
  // job queued for it is written first, so the stored list is complete.
  store.writer.flush();
  return getRolloutMessages(store.db, rolloutId);
}

function apply(store: JobStore, op: StoreOp): void {
  if (op.kind === "start") store.writer.start(op.row);
  else if (op.kind === "final") {
    store.seen.delete(op.final.id);
    store.writer.store(op.final, op.classRow);
  }
  else if (op.kind === "message") {
    store.writer.message(op.rolloutId, op.idx, op.message);
    let list = store.seen.get(op.rolloutId);
    if (!list) store.seen.set(op.rolloutId, (list = []));
    list.push(op.message);
  } else {
    const { ref } = op;
    const messages = messagesOf(store, ref.rolloutId, op.messageCount);
    const task = store.bodies.get(ref.taskId);
    const ids = { id: ref.rolloutId, experimentId: ref.experimentId, groupId: ref.groupId };
    if (!task) return store.writer.fail(erroredRolloutFinal(ids, `task "${ref.taskId}" is no longer in the task set`, ref.preset, messages));
    if (messages.length !== op.messageCount) {
      return store.writer.fail(erroredRolloutFinal(ids, `stored ${messages.length} messages of ${op.messageCount}`, ref.preset, messages));
    }
    const work = { ...ref, task, baseState: store.scoring.baseFor(task) };
    store.writer.finish(work, { ...op.played, messages }, op.finishedAt);
  }
}

parentPort?.on("message", (msg: StoreRequest) => {
  if (msg.type === "close") return closeJob(msg.job);
  try {
    if (msg.type === "open") {
      try {
        return openJob(msg.job, msg.dbPath, msg.taskSetId, msg.taskIds);
      } catch (err) {
        releaseConnection(msg.dbPath, !jobs.has(msg.job));
        throw err;
      }
    }
    const store = jobs.get(msg.job);
    if (!store) throw new Error(`job ${msg.job} is not open on the rollout store thread`);
    for (const op of msg.ops) apply(store, op);
    store.writer.flush();
    reply({ type: "ack", job: msg.job, seq: msg.seq, finalized: store.writer.finalized });
  } catch (err) {
    closeJob(msg.job);
    // The runner wraps this in its own RolloutStorageError: send the cause, not a second prefix.
    const cause = err instanceof RolloutStorageError ? err.cause : err;
    const code = (cause as { code?: unknown } | null)?.code;
    reply({ type: "error", job: msg.job, message: cause instanceof Error ? cause.message : String(cause), ...(typeof code === "string" ? { code } : {}) });
  }
});
