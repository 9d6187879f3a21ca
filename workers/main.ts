/**
 * Worker process entry (`npm run worker`, spawned by `npm start`). Settings from env:
 * WRIT_DB, WRIT_WORKER_CONCURRENCY, WRIT_JOB_LEASE_MS, WRIT_WORKER_POLL_MS, WRIT_JOB_BACKOFF_MS.
 * SIGTERM/SIGINT: stop claiming, abort running jobs, release their leases, exit 0.
 */
import { closeDb, openDb } from "../db/client";
import { getEnv } from "../lib/env";
import { createWorker } from "./worker";

function main() {
  const env = getEnv();
  const db = openDb(env.WRIT_DB);
  const worker = createWorker({
    db,
    concurrency: env.WRIT_WORKER_CONCURRENCY,
    leaseMs: env.WRIT_JOB_LEASE_MS,
    pollMs: env.WRIT_WORKER_POLL_MS,
    backoffMs: env.WRIT_JOB_BACKOFF_MS,
    log: (m) => process.stderr.write(`[worker ${process.pid}] ${m}\n`),
  });
  worker.start();
  process.stderr.write(`[worker ${process.pid}] started ${worker.id} (concurrency ${env.WRIT_WORKER_CONCURRENCY})\n`);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`[worker ${process.pid}] ${signal}: finishing up\n`);
    worker
      .stop()
      .then(() => {
        closeDb(db);
        process.exit(0);
      })
      .catch((err) => {
        process.stderr.write(`[worker ${process.pid}] shutdown error: ${(err as Error).message}\n`);
        process.exit(1);
      });
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

try {
  main();
} catch (err) {
  process.stderr.write(`[worker] ${(err as Error).message}\n`);
  process.exit(1);
}
