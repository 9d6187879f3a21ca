/**
 * The queue across real processes: worker processes (tsx workers/main.ts) on a temp
 * database, with enqueues arriving concurrently from this process and another one.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { retryBusy } from "../db/retry";
import { jobs, jobSteps, workers } from "../db/schema";
import { getJob, requestCancel } from "../lib/jobs/store/queue";
import { enqueueJob } from "../lib/jobs/store/enqueue";
import { createTempDb, ROOT, spawnWorker, stopWorkers, tsxArgs, waitFor, type SpawnedWorker, type TempDb } from "./helpers";

let t: TempDb;
let spawned: SpawnedWorker[] = [];
beforeEach(() => {
  t = createTempDb();
  spawned = [];
});
afterEach(async () => {
  for (const w of spawned) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
  await Promise.all(spawned.map((w) => w.exited));
  t.cleanup();
});

function worker(env: Record<string, string> = {}) {
  const w = spawnWorker(t.path, env);
  spawned.push(w);
  return w;
}

const count = (where: ReturnType<typeof sql>) =>
  t.db.select({ n: sql<number>`count(*)` }).from(jobs).where(where).get()?.n ?? 0;

describe("queue across processes", () => {
  it("completes 1,000 jobs exactly once with 3 workers and concurrent enqueues", async () => {
    const workersUp = [worker(), worker(), worker()];
    const [cmd, args] = tsxArgs(join(ROOT, "tests/fixtures/enqueue-jobs.ts"));
    const enqueuer = spawn(cmd, [...args, t.path, "500", "child"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let enqueuerErr = "";
    enqueuer.stderr.on("data", (d) => (enqueuerErr += d));
    const enqueuerDone = new Promise<number | null>((r) => enqueuer.on("exit", r));
    // This process enqueues the other 500, 10 per transaction, interleaved with claims.
    for (let i = 0; i < 500; i += 10) {
      await retryBusy(() =>
        t.db.transaction((tx) => {
          for (let k = 0; k < 10; k++) enqueueJob(tx, "demo.noop", { tag: `parent-${i + k}` });
        }, { behavior: "immediate" }),
      );
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(await enqueuerDone, enqueuerErr).toBe(0);
    await waitFor(() => count(sql`status = 'succeeded'`) === 1000, 60_000, "1,000 completed jobs");
    await stopWorkers(workersUp);

    expect(count(sql`1`)).toBe(1000);
    expect(count(sql`attempts != 1 OR error IS NOT NULL`)).toBe(0);
    const steps = t.db
      .select({ rows: sql<number>`count(*)`, distinctJobs: sql<number>`count(DISTINCT job_id)`, workers: sql<number>`count(DISTINCT worker_id)` })
      .from(jobSteps)
      .get();
    expect(steps).toMatchObject({ rows: 1000, distinctJobs: 1000 });
    // The load was shared, and nobody saw a busy database.
    expect(steps?.workers).toBeGreaterThan(1);
    const logs = workersUp.map((w) => w.output()).join("\n") + enqueuerErr;
    expect(logs).not.toMatch(/SQLITE_BUSY|database is locked/i);
    for (const w of workersUp) expect(await w.exited).toBe(0);
  });

  it("SIGKILLed worker: the lease expires and another worker finishes the job, no step lost or repeated", async () => {
    const leaseEnv = { WRIT_JOB_LEASE_MS: "600" };
    const a = worker(leaseEnv);
    const job = enqueueJob(t.db, "demo.sleep", { steps: 8, stepMs: 150 });
    await waitFor(() => (getJob(t.db, job.id)?.progressDone ?? 0) >= 3, 20_000, "three steps done by worker A");
    a.child.kill("SIGKILL");
    await a.exited;
    const stepsBefore = t.db.select().from(jobSteps).all();
    const b = worker(leaseEnv);
    await waitFor(() => getJob(t.db, job.id)?.status === "succeeded", 20_000, "job completed by worker B");
    await stopWorkers([b]);

    const steps = t.db.select().from(jobSteps).all();
    expect(steps).toHaveLength(8);
    expect(new Set(steps.map((s) => s.key)).size).toBe(8);
    const owners = new Set(steps.map((s) => s.workerId));
    expect(owners.size).toBe(2);
    // Steps saved before the kill were kept, not redone.
    for (const s of stepsBefore) expect(steps.find((x) => x.key === s.key)?.workerId).toBe(s.workerId);
    expect(getJob(t.db, job.id)).toMatchObject({ attempts: 2, progressDone: 8 });
  });

  it("cancels a job running in another process within 2 s", async () => {
    worker();
    const job = enqueueJob(t.db, "demo.sleep", { steps: 100, stepMs: 200 });
    await waitFor(() => getJob(t.db, job.id)?.status === "running", 20_000, "job running");
    const asked = Date.now();
    requestCancel(t.db, job.id);
    await waitFor(() => getJob(t.db, job.id)?.status === "cancelled", 2_000, "cancelled");
    expect(Date.now() - asked).toBeLessThan(2_000);
  });

  it("SIGTERM as soon as the entry runs (modules may still be loading): exits 0, the job stays queued", async () => {
    const job = enqueueJob(t.db, "demo.sleep", { steps: 50, stepMs: 100 });
    const w = worker();
    // The entry says "loading" once its signal handlers are in, before it loads the worker's
    // modules; the signal lands before the worker starts or just after it: both must exit 0.
    await waitFor(() => /\] loading\n/.test(w.output()), 10_000, "worker entry running");
    w.child.kill("SIGTERM");
    expect(await w.exited).toBe(0);
    expect(w.output()).toMatch(/SIGTERM( before start: exiting|: finishing up)/);
    expect(getJob(t.db, job.id)).toMatchObject({ status: "queued", leaseOwner: null, attempts: 0 });
  });

  it("SIGTERM: the worker stops claiming, releases its lease and exits 0", async () => {
    const w = worker();
    const job = enqueueJob(t.db, "demo.sleep", { steps: 100, stepMs: 100 });
    await waitFor(() => (getJob(t.db, job.id)?.progressDone ?? 0) >= 1, 20_000, "job started");
    const asked = Date.now();
    w.child.kill("SIGTERM");
    expect(await w.exited).toBe(0);
    expect(Date.now() - asked).toBeLessThan(5_000);
    expect(getJob(t.db, job.id)).toMatchObject({ status: "queued", leaseOwner: null, attempts: 0 });
    expect(t.db.select().from(workers).get()?.status).toBe("stopped");
  });
});
