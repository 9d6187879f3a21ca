/**
 * Worker processes on the PostgreSQL team server (DATABASE_URL=… tsx workers/main.ts): the job
 * pool on pg-boss across real processes, with the faults issue 19 names — a worker SIGKILLed
 * mid-job, a worker whose database connection is terminated mid-job (pg_terminate_backend) —
 * and three workers on one batch of work. The work is the demo kinds (they run on any backend):
 * each demo.sleep step is recorded once in job_steps, standing in for a paid model call, so
 * "0 steps repeated" is "0 model calls paid twice".
 */
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { migratePg } from "../db/pg/migrate";
import type { JobQueue } from "../lib/jobs/queue-backend";
import { createPgJobQueue } from "../lib/jobs/store/pg-queue";
import { createTestDatabase, pgAvailable, type TestPgDatabase } from "./fixtures/pg";
import { spawnWorker, stopWorkers, waitFor, type SpawnedWorker } from "./helpers";

const hasPg = await pgAvailable();

describe.skipIf(!hasPg)("[PostgreSQL] worker processes on the pg-boss queue", () => {
  let db: TestPgDatabase;
  let admin: pg.Client;
  let queue: JobQueue;
  let spawned: SpawnedWorker[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    await migratePg(db.url);
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
  }, 60_000);
  afterAll(async () => {
    await admin?.end();
    await db?.drop();
  });
  beforeEach(async () => {
    queue = await createPgJobQueue({ url: db.url });
    spawned = [];
  });
  afterEach(async () => {
    for (const w of spawned) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
    await Promise.all(spawned.map((w) => w.exited));
    await queue.close();
    await admin.query("TRUNCATE jobs, job_steps, workers RESTART IDENTITY CASCADE");
    await admin.query("DELETE FROM pgboss.job");
  });

  function worker(extra: Record<string, string> = {}) {
    const w = spawnWorker("/nonexistent/unused.db", {
      DATABASE_URL: db.url,
      WRIT_JOB_LEASE_MS: "1500",
      WRIT_WORKER_POLL_MS: "30",
      WRIT_WORKER_CONCURRENCY: "2",
      ...extra,
    });
    spawned.push(w);
    return w;
  }

  const rows = async (text: string, values: unknown[] = []) => (await admin.query(text, values)).rows;
  const statusCounts = async () =>
    Object.fromEntries((await rows(`SELECT status, count(*)::int AS n FROM jobs GROUP BY status`)).map((r) => [r.status, r.n]));

  it("three workers finish 60 jobs exactly once, each listed in the shared workers table", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 45; i++) ids.push((await queue.enqueue("demo.noop", { tag: `n${i}` })).id);
    for (let i = 0; i < 15; i++) ids.push((await queue.enqueue("demo.sleep", { steps: 3, stepMs: 20 })).id);
    const pool = [worker(), worker(), worker()];
    await waitFor(async () => (await statusCounts()).succeeded === 60, 60_000, "60 succeeded jobs");
    const started = await rows(`SELECT id, host, status FROM workers ORDER BY id`);
    await stopWorkers(pool);

    expect(await statusCounts()).toEqual({ succeeded: 60 });
    // Every job ran once: one claim each, and every step recorded once (unique (job_id, key)).
    expect((await rows(`SELECT count(*)::int AS n FROM jobs WHERE attempts <> 1`))[0].n).toBe(0);
    expect((await rows(`SELECT count(*)::int AS n FROM job_steps`))[0].n).toBe(45 + 15 * 3);
    // The work was shared: more than one worker recorded steps.
    const byWorker = await rows(`SELECT worker_id, count(*)::int AS n FROM job_steps GROUP BY worker_id`);
    expect(byWorker.length).toBeGreaterThan(1);
    expect(started.length).toBe(3);
    for (const w of started) expect(w.status).toBe("running");
    const stopped = await rows(`SELECT status FROM workers`);
    expect(stopped.every((w) => w.status === "stopped")).toBe(true);
    for (const w of pool) expect(w.output()).not.toContain(db.url);
  }, 90_000);

  it("a SIGKILLed worker's job is re-delivered and finished by another; no step lost or run twice", async () => {
    const job = await queue.enqueue("demo.sleep", { steps: 8, stepMs: 150 });
    const victim = worker();
    await waitFor(async () => (await rows(`SELECT count(*)::int AS n FROM job_steps WHERE job_id = $1`, [job.id]))[0].n >= 2, 30_000, "two steps done by the first worker");
    victim.child.kill("SIGKILL");
    await victim.exited;
    const doneBefore = (await rows(`SELECT key FROM job_steps WHERE job_id = $1`, [job.id])).map((r) => r.key);
    const rescuer = worker();
    await waitFor(async () => (await queue.get(job.id))?.status === "succeeded", 30_000, "the job finished by the second worker");
    await stopWorkers([rescuer]);

    const after = await queue.get(job.id);
    expect(after).toMatchObject({ status: "succeeded", attempts: 2, result: { steps: 8 } });
    const steps = await rows(`SELECT key, attempt::int AS attempt FROM job_steps WHERE job_id = $1 ORDER BY key`, [job.id]);
    expect(steps.map((s) => s.key).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `step-${i}`).sort());
    // The steps the dead worker finished stayed its own (attempt 1); the rescuer did only the rest.
    for (const s of steps) expect(s.attempt).toBe(doneBefore.includes(s.key) ? 1 : 2);
  }, 60_000);

  it("a worker whose database connections are terminated mid-job recovers; the job completes once", async () => {
    const job = await queue.enqueue("demo.sleep", { steps: 10, stepMs: 100 });
    const w = worker();
    await waitFor(async () => (await rows(`SELECT count(*)::int AS n FROM job_steps WHERE job_id = $1`, [job.id]))[0].n >= 2, 30_000, "two steps done");
    // Every connection the worker holds (its pool, pg-boss's), as an operator or a failover would.
    const killed = await rows(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE $2`,
      [db.name, `writ-lab-worker-${w.child.pid}%`],
    );
    expect(killed.length).toBeGreaterThan(0);
    await waitFor(async () => (await queue.get(job.id))?.status === "succeeded", 40_000, "the job to finish after the disconnect");
    await stopWorkers([w]);
    expect(w.child.exitCode).toBe(0);

    const steps = await rows(`SELECT key FROM job_steps WHERE job_id = $1`, [job.id]);
    expect(steps.length).toBe(10);
    expect(new Set(steps.map((s) => s.key)).size).toBe(10);
  }, 60_000);
});
