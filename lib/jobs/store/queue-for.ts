/**
 * The JobQueue of a database handle, one per handle (a WeakMap: it goes with the handle). Route
 * handlers take the handle from db/server.ts and the queue from here, so they enqueue, read,
 * cancel and retry jobs through the same interface on either backend.
 */
import type { Db } from "../../../db/client";
import type { JobQueue } from "../queue-backend";
import { createSqliteJobQueue } from "./sqlite-queue";

const queues = new WeakMap<Db, JobQueue>();

export function jobQueueFor(db: Db): JobQueue {
  let queue = queues.get(db);
  if (!queue) {
    queue = createSqliteJobQueue(db);
    queues.set(db, queue);
  }
  return queue;
}
