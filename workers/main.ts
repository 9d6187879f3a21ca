/**
 * Worker process entry (`npm run worker`, spawned by `npm start`). Settings from env:
 * WRIT_DB, WRIT_WORKER_CONCURRENCY, WRIT_JOB_LEASE_MS, WRIT_WORKER_POLL_MS, WRIT_JOB_BACKOFF_MS.
 * SIGTERM/SIGINT: stop claiming, abort running jobs, release their leases, exit 0.
 *
 * The signal handlers are installed before the worker's modules load (about a second): a
 * signal in that window has nothing to release and exits 0 instead of killing the process.
 */
let shutdown: ((signal: string) => void) | null = null;

function onSignal(signal: string): void {
  if (shutdown) return shutdown(signal);
  process.stderr.write(`[worker ${process.pid}] ${signal} before start: exiting\n`);
  process.exit(0);
}
process.on("SIGTERM", () => onSignal("SIGTERM"));
process.on("SIGINT", () => onSignal("SIGINT"));
process.stderr.write(`[worker ${process.pid}] loading\n`);

async function main() {
  const [{ closeDb, openDb }, { getEnv }, { createWorker }] = await Promise.all([import("../db/client"), import("../lib/env"), import("./worker")]);
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
  let stopping = false;
  shutdown = (signal: string) => {
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
  worker.start();
  process.stderr.write(`[worker ${process.pid}] started ${worker.id} (concurrency ${env.WRIT_WORKER_CONCURRENCY})\n`);
}

main().catch((err) => {
  process.stderr.write(`[worker] ${(err as Error).message}\n`);
  process.exit(1);
});
