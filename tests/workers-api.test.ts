/**
 * GET /api/workers (the jobs page's worker pool) against the app's own database: worker rows
 * on two hosts (one stale, one running a job) come back grouped with their state and current
 * job, and the real worker loop's heartbeat carries its counters and throughput to the row.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "../db/server";
import { WORKER_LIVE_WINDOW_MS } from "../db/queries/workers";
import { experiments, jobs, workers } from "../db/schema";
import * as workersRoute from "../app/api/workers/route";
import { defineJobHandler } from "../lib/jobs/define";
import { rolloutsRunKind } from "../lib/jobs/kinds";
import { claimJob, getJob } from "../lib/jobs/store/queue";
import { enqueueJob } from "../lib/jobs/store/enqueue";
import { getWorker, recordWorkerHeartbeat, registerWorker } from "../lib/jobs/store/workers";
import type { WorkersOverview } from "../lib/jobs/workers-view";
import { jobHandlers } from "../workers/job-handlers";
import { createWorker } from "../workers/worker";
import { appTempDb } from "./fixtures/app-db";
import { waitFor } from "./helpers";

// Outside Next.js there is no request scope; `connection()` only matters for prerendering.
vi.mock("next/server", () => ({ connection: async () => {} }));

const appDb = appTempDb("writ-workers-api-");
beforeAll(() => appDb.open());
afterAll(() => appDb.close());
beforeEach(() => {
  const db = getDb();
  db.delete(jobs).run();
  db.delete(workers).run();
});

async function getOverview(query = ""): Promise<{ status: number; body: WorkersOverview; text: string }> {
  const res = await workersRoute.GET(new Request(`http://x/api/workers${query}`));
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as WorkersOverview, text };
}

const idle = { jobsDone: 0, jobsFailed: 0, rolloutsDone: 0, jobsPerMin: 0, rolloutsPerSec: 0 };

describe("GET /api/workers", () => {
  it("groups workers by host, flags the silent one stale and shows the running job with its experiment", async () => {
    const db = getDb();
    const now = Date.now();
    const [exp] = db
      .insert(experiments)
      .values({ name: "pool check", agentConfig: {}, userConfig: {}, groupSize: 2, maxTurns: 10, maxErrors: 2 })
      .returning()
      .all();
    await registerWorker(db, { id: "alpha-1", pid: 101, host: "alpha", concurrency: 4, version: "0.1.0", nodeVersion: "v22.0.0" }, now - 5_000);
    await recordWorkerHeartbeat(db, "alpha-1", { ...idle, running: 1, status: "running", jobsDone: 3, jobsPerMin: 1.5 }, now - 200);
    await registerWorker(db, { id: "beta-1", pid: 202, host: "beta", concurrency: 2, version: null, nodeVersion: "v22.0.0" }, now - 120_000);
    await recordWorkerHeartbeat(db, "beta-1", { ...idle, running: 1, status: "running" }, now - WORKER_LIVE_WINDOW_MS - 30_000);

    // A rollouts job leased by alpha-1 (the lease owner is `<worker id>/<claim token>`), with
    // something secret-looking in its payload that must not reach the response.
    const [row] = db
      .insert(jobs)
      .values({ name: "rollouts.run", payload: { experiment_id: exp.id, api_key: "sk-do-not-leak" }, runAt: now })
      .returning()
      .all();
    expect(claimJob(db, "alpha-1/tok1", 30_000)?.id).toBe(row.id);
    db.update(jobs).set({ progressDone: 4, progressTotal: 10, progressMessage: "4 of 10" }).where(eq(jobs.id, row.id)).run();

    const { status, body, text } = await getOverview();
    expect(status).toBe(200);
    expect(text).not.toContain("sk-do-not-leak");
    expect(text).not.toContain("api_key");
    expect(body.staleAfterMs).toBe(WORKER_LIVE_WINDOW_MS);
    // Hosts with a live worker come first.
    expect(body.hosts.map((h) => [h.host, h.workers.length, h.live])).toEqual([
      ["alpha", 1, 1],
      ["beta", 1, 0],
    ]);
    const [alpha] = body.hosts[0].workers;
    expect(alpha).toMatchObject({
      id: "alpha-1",
      pid: 101,
      concurrency: 4,
      running: 1,
      state: "live",
      version: "0.1.0",
      node: "v22.0.0",
      jobsDone: 3,
      jobsPerMin: 1.5,
    });
    expect(alpha.heartbeatAgeMs).toBeLessThan(WORKER_LIVE_WINDOW_MS);
    expect(alpha.jobs).toEqual([
      {
        id: row.id,
        name: "rollouts.run",
        label: "pool check",
        progress: { done: 4, total: 10, message: "4 of 10" },
        startedAt: expect.any(Number),
      },
    ]);
    const [beta] = body.hosts[1].workers;
    expect(beta).toMatchObject({ id: "beta-1", state: "stale", status: "running", jobs: [] });
    expect(beta.heartbeatAgeMs).toBeGreaterThan(WORKER_LIVE_WINDOW_MS);
  });

  it("lists stopped and stale workers only within since_ms; live ones always", async () => {
    const db = getDb();
    const now = Date.now();
    await registerWorker(db, { id: "live", pid: 1, host: "h", concurrency: 1, version: null, nodeVersion: null }, now);
    await registerWorker(db, { id: "old", pid: 2, host: "h", concurrency: 1, version: null, nodeVersion: null }, now - 7_200_000);
    await recordWorkerHeartbeat(db, "old", { ...idle, running: 0, status: "stopped" }, now - 600_000);

    const all = (await getOverview()).body;
    expect(all.hosts[0].workers.map((w) => [w.id, w.state])).toEqual([
      ["live", "live"],
      ["old", "stopped"],
    ]);
    const recent = (await getOverview("?since_ms=60000")).body;
    expect(recent.hosts[0].workers.map((w) => w.id)).toEqual(["live"]);
    const none = (await getOverview("?since_ms=0")).body;
    expect(none.hosts[0].workers.map((w) => w.id)).toEqual(["live"]);
  });

  it("answers an empty pool with no hosts", async () => {
    expect((await getOverview()).body.hosts).toEqual([]);
  });

  it("400s a bad since_ms, naming the field", async () => {
    const res = await workersRoute.GET(new Request("http://x/api/workers?since_ms=-5"));
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: "invalid_request", field: "since_ms" });
  });
});

describe("the worker loop's heartbeat", () => {
  it("advances the row's counters and throughput as jobs finish, and marks the row stopped", async () => {
    const db = getDb();
    // rollouts.run stand-in: its progress counts rollouts, like lib/rollouts/run-job.ts.
    const fakeRollouts = defineJobHandler(rolloutsRunKind, async (ctx) => {
      const total = 10;
      for (const done of [getJob(ctx.db, ctx.job.id)!.progressDone, 7, total]) await ctx.reportProgress(done, total);
      return { ok: true };
    });
    const handlers = new Map(jobHandlers).set(rolloutsRunKind.name, fakeRollouts);
    const worker = createWorker({ db, handlers, pollMs: 20, backoffMs: 20, leaseMs: 1_500, concurrency: 2, version: "test" });

    const noops = [1, 2, 3].map(() => enqueueJob(db, "demo.noop", {}).id);
    const failing = enqueueJob(db, "demo.fail", { retryable: false, failTimes: 1 }).id;
    const fresh = enqueueJob(db, "rollouts.run", { experiment_id: 1 }).id;
    // A rollouts job resumed from a previous attempt that got to 6 of 10: only 4 more are this worker's.
    const resumed = enqueueJob(db, "rollouts.run", { experiment_id: 2 }).id;
    db.update(jobs).set({ progressDone: 6, progressTotal: 10 }).where(eq(jobs.id, resumed)).run();

    worker.start();
    await worker.registered;
    try {
      expect(await getWorker(db, worker.id)).toMatchObject({ status: "running", version: "test", nodeVersion: process.version, jobsDone: 0 });
      const final = (id: number) => ["succeeded", "failed"].includes(getJob(db, id)?.status ?? "");
      for (const id of [...noops, failing, fresh, resumed]) await waitFor(() => final(id), 10_000, `job ${id}`);
      const row = await waitFor(
        async () => {
          const r = await getWorker(db, worker.id);
          return r && r.jobsDone === 5 && r.jobsFailed === 1 && r.rolloutsDone === 10 + 4 ? r : undefined;
        },
        5_000,
        "the heartbeat to carry the counters",
      );
      expect(row.jobsPerMin).toBeGreaterThan(0);
      expect(row.rolloutsPerSec).toBeGreaterThan(0);

      const api = (await getOverview()).body;
      const listed = api.hosts.flatMap((h) => h.workers).find((w) => w.id === worker.id);
      expect(listed).toMatchObject({ state: "live", jobsDone: 5, jobsFailed: 1, rolloutsDone: 14, jobs: [] });
    } finally {
      await worker.stop();
    }
    expect(await getWorker(db, worker.id)).toMatchObject({ status: "stopped", running: 0, jobsDone: 5, jobsFailed: 1 });
    const after = (await getOverview()).body.hosts.flatMap((h) => h.workers).find((w) => w.id === worker.id);
    expect(after?.state).toBe("stopped");
  });

  // The process-level proof (a SIGKILLed worker's job finished once by another, no step lost or
  // repeated) is tests/queue-processes.test.ts; this is what the pool view shows of it.
  it("a vanished worker's job moves to a live one: the dead one reads stale and idle, the job completes once", async () => {
    const db = getDb();
    const now = Date.now();
    await registerWorker(db, { id: "gone-1", pid: 9, host: "gone", concurrency: 1, version: null, nodeVersion: null }, now - 60_000);
    const job = enqueueJob(db, "demo.noop", {}).id;
    // Claimed by the vanished worker with a 1 ms lease: it runs out at once.
    expect(claimJob(db, "gone-1/tok", 1)?.id).toBe(job);
    const before = (await getOverview()).body.hosts.find((h) => h.host === "gone")!.workers[0];
    expect(before).toMatchObject({ state: "stale", jobs: [{ id: job, name: "demo.noop" }] });

    const worker = createWorker({ db, pollMs: 20, leaseMs: 1_500 });
    worker.start();
    try {
      await waitFor(() => getJob(db, job)?.status === "succeeded", 10_000, "the job to be finished by the live worker");
      await waitFor(async () => (await getWorker(db, worker.id))?.jobsDone === 1 || undefined, 5_000, "the live worker's count");
    } finally {
      await worker.stop();
    }
    expect(getJob(db, job)).toMatchObject({ status: "succeeded", attempts: 2 });
    const hosts = (await getOverview()).body.hosts;
    expect(hosts.find((h) => h.host === "gone")!.workers[0]).toMatchObject({ state: "stale", jobs: [], jobsDone: 0 });
  });
});
