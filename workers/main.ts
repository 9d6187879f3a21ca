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

const IDLE_BEFORE_WARM_UP_MS = 1_000;

/** Resolves after `ms`, or at once when `signal` aborts. */
function idle(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}

async function main() {
  const [{ closeDb, openDb }, { getEnv }, { createWorker }, { prestartRolloutStoreThread }, { warmUpRollouts }] = await Promise.all([
    import("../db/client"),
    import("../lib/settings"),
    import("./worker"),
    import("../lib/rollouts/store/thread"),
    import("./warm-up"),
  ]);
  const env = getEnv();
  const log = (m: string) => process.stderr.write(`[worker ${process.pid}] ${m}\n`);
  if (env.DATABASE_URL) return mainOnPostgres(env.DATABASE_URL, env, log);
  const db = openDb(env.WRIT_DB);
  // Idle-time warm-up (./warm-up.ts), stopped by the first claim.
  const warming = new AbortController();
  const worker = createWorker({
    db,
    concurrency: env.WRIT_WORKER_CONCURRENCY,
    leaseMs: env.WRIT_JOB_LEASE_MS,
    pollMs: env.WRIT_WORKER_POLL_MS,
    backoffMs: env.WRIT_JOB_BACKOFF_MS,
    log,
    onClaim: () => warming.abort(),
  });
  let stopping = false;
  let warmedUp: Promise<void> = Promise.resolve();
  shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`[worker ${process.pid}] ${signal}: finishing up\n`);
    warming.abort();
    // The warm-up stops at its next rollout and removes its throwaway database before exit.
    Promise.all([worker.stop(), warmedUp])
      .then(() => {
        closeDb(db);
        process.exit(0);
      })
      .catch((err) => {
        process.stderr.write(`[worker ${process.pid}] shutdown error: ${(err as Error).message}\n`);
        process.exit(1);
      });
  };
  prestartRolloutStoreThread();
  worker.start();
  process.stderr.write(`[worker ${process.pid}] started ${worker.id} (concurrency ${env.WRIT_WORKER_CONCURRENCY})\n`);
  // Only a worker with nothing to do warms up: one that boots to a queue of jobs claims them
  // on its first poll and plays cold rather than delay them.
  warmedUp = idle(IDLE_BEFORE_WARM_UP_MS, warming.signal)
    .then(() => warmUpRollouts(env.WRIT_WORKER_WARMUP, warming.signal))
    .then(
      (warm) => {
        if (warm.rollouts > 0) log(`warmed up${warm.aborted ? " (cut short by a job)" : ""}: ${warm.rollouts} simulated rollouts in ${warm.ms} ms`);
      },
      (err) => {
        log(`warm-up failed: ${(err as Error).message}`);
      },
    );
}

/** DATABASE_URL: a worker of the PostgreSQL pool (./pg-worker.ts); no SQLite file, no warm-up. */
async function mainOnPostgres(
  url: string,
  env: { WRIT_WORKER_CONCURRENCY: number; WRIT_JOB_LEASE_MS: number; WRIT_WORKER_POLL_MS: number; WRIT_JOB_BACKOFF_MS: number },
  log: (m: string) => void,
) {
  const { startPgWorker } = await import("./pg-worker");
  const pgWorker = await startPgWorker(url, {
    concurrency: env.WRIT_WORKER_CONCURRENCY,
    leaseMs: env.WRIT_JOB_LEASE_MS,
    pollMs: env.WRIT_WORKER_POLL_MS,
    backoffMs: env.WRIT_JOB_BACKOFF_MS,
    log,
  });
  let stopping = false;
  shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: finishing up`);
    pgWorker.worker
      .stop()
      .then(() => pgWorker.close())
      .then(() => process.exit(0))
      .catch((err) => {
        log(`shutdown error: ${(err as Error).message}`);
        process.exit(1);
      });
  };
  log(`started ${pgWorker.worker.id} on PostgreSQL (concurrency ${env.WRIT_WORKER_CONCURRENCY})`);
}

main().catch((err) => {
  process.stderr.write(`[worker] ${(err as Error).message}\n`);
  process.exit(1);
});
