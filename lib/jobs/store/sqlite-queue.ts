/**
 * The JobQueue (lib/jobs/queue-backend.ts) on SQLite: the synchronous queue functions of
 * ./queue.ts and ./enqueue.ts behind the async interface, each write retried on SQLITE_BUSY
 * (db/retry.ts) so a moment of lock contention never fails a job.
 */
import type { Db } from "../../../db/client";
import { retryBusy } from "../../../db/retry";
import type { JobQueue } from "../queue-backend";
import { enqueueJob } from "./enqueue";
import {
  claimJob,
  completeJob,
  extendLease,
  failJob,
  getJob,
  getStep,
  markCancelled,
  recordStep,
  releaseJob,
  requestCancel,
  requeueExpiredLeases,
  retryJob,
  scheduleRetry,
  updateProgress,
} from "./queue";

export function createSqliteJobQueue(db: Db): JobQueue {
  const write = <T>(fn: () => T) => retryBusy(fn, { attempts: 20 });
  return {
    backend: "sqlite",
    enqueue: (name, payload, options) => write(() => enqueueJob(db, name, payload, options)),
    claim: (owner, leaseMs, excludeName, onlyNames) => {
      // A SQLite worker has the database and so runs every kind.
      if (onlyNames) throw new Error("the SQLite queue claims any kind; onlyNames is for workers on PostgreSQL");
      return write(() => claimJob(db, owner, leaseMs, Date.now(), excludeName));
    },
    extendLease: (id, owner, leaseMs) => write(() => extendLease(db, id, owner, leaseMs)),
    updateProgress: (id, owner, done, total, message) => write(() => updateProgress(db, id, owner, done, total, message)),
    complete: (id, owner, result) => write(() => completeJob(db, id, owner, result)),
    fail: (id, owner, error) => write(() => failJob(db, id, owner, error)),
    scheduleRetry: (id, owner, error, runAt) => write(() => scheduleRetry(db, id, owner, error, runAt)),
    markCancelled: (id, owner) => write(() => markCancelled(db, id, owner)),
    release: (id, owner) => write(() => releaseJob(db, id, owner)),
    requeueExpired: () => write(() => requeueExpiredLeases(db)),
    get: async (id) => getJob(db, id),
    requestCancel: (id) => write(() => requestCancel(db, id)),
    retry: (id) => write(() => retryJob(db, id)),
    getStep: async (jobId, key) => getStep(db, jobId, key),
    recordStep: (jobId, owner, key, attempt, workerId, output) =>
      write(() => recordStep(db, jobId, owner, key, attempt, workerId, output)),
    // The db belongs to the caller (the worker process opens and closes it).
    close: async () => {},
  };
}
