/**
 * A worker process on the PostgreSQL team server (DATABASE_URL): migrations applied under the
 * advisory lock (several workers starting at once apply them once), the job queue on pg-boss
 * (lib/jobs/store/pg-queue.ts), the worker row in the shared `workers` table, so the jobs page
 * lists it by host. It serves the job kinds whose handlers run on any backend; the rest stay
 * queued for workers that have them (issue 19: the domain stores' PostgreSQL paths come next).
 */
import { createPgPool } from "../db/pg/client";
import { migratePg } from "../db/pg/migrate";
import { sqliteDialectOnPg } from "../db/pg/sqlite-dialect";
import { createPgJobQueue } from "../lib/jobs/store/pg-queue";
import { createWorker, type Worker, type WorkerOptions } from "./worker";

export interface PgWorker {
  worker: Worker;
  /** After worker.stop(): closes the queue and the pool. */
  close(): Promise<void>;
}

export async function startPgWorker(
  url: string,
  options: Omit<WorkerOptions, "db" | "queue" | "registry">,
): Promise<PgWorker> {
  await migratePg(url);
  // Named by pid: an operator reading pg_stat_activity sees which worker holds which connection.
  const applicationName = `writ-lab-worker-${process.pid}`;
  // One pool for the queue and the worker row (plus pg-boss's two): six connections a worker.
  const pool = createPgPool(url, { max: 4, applicationName, synchronousCommit: false });
  const queue = await createPgJobQueue({ url, log: options.log, applicationName, pool });
  const worker = createWorker({ ...options, queue, registry: sqliteDialectOnPg(pool) });
  worker.start();
  return {
    worker,
    async close() {
      await queue.close();
      await pool.end().catch(() => {});
    },
  };
}
