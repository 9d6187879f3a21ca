/**
 * The /api/jobs and /api/health route handlers called directly (no server): validation,
 * error mapping, and that only registered, API-open job types can be enqueued.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "../db/server";
import { claimJob } from "../lib/jobs/store/queue";
import * as jobsRoute from "../app/api/jobs/route";
import * as jobRoute from "../app/api/jobs/[id]/route";
import * as cancelRoute from "../app/api/jobs/[id]/cancel/route";
import * as retryRoute from "../app/api/jobs/[id]/retry/route";
import * as healthRoute from "../app/api/health/route";
import { appTempDb } from "./fixtures/app-db";

// Outside Next.js there is no request scope; `connection()` only matters for prerendering.
vi.mock("next/server", () => ({ connection: async () => {} }));

// These cases enqueue demo jobs, which the API takes only with the test-jobs switch on.
const appDb = appTempDb("writ-api-", { env: { WRIT_ENABLE_TEST_JOBS: "1" } });
beforeAll(() => appDb.open());
afterAll(() => appDb.close());

const post = (body: unknown) =>
  jobsRoute.POST(new Request("http://x/api/jobs", { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) }));
const params = (id: string | number) => ({ params: Promise.resolve({ id: String(id) }) });

describe("POST /api/jobs", () => {
  it("enqueues a demo job", async () => {
    const res = await post({ name: "demo.sleep", payload: { steps: 2, stepMs: 10 } });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.job).toMatchObject({ name: "demo.sleep", status: "queued", progress: { done: 0 } });
  });

  it("400s a bad payload naming the field", async () => {
    const res = await post({ name: "demo.sleep", payload: { steps: 0, stepMs: 10 } });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: "invalid_payload", field: "payload.steps" });
  });

  it("400s a body that misses the name, or is not JSON", async () => {
    const missing = await post({ payload: {} });
    expect(missing.status).toBe(400);
    expect((await missing.json()).error).toMatchObject({ code: "invalid_request", field: "name" });
    const broken = await post("{not json");
    expect(broken.status).toBe(400);
    expect((await broken.json()).error.code).toBe("invalid_json");
  });

  it("refuses job names that are not registered for the API", async () => {
    const res = await post({ name: "rollouts.secret", payload: {} });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ field: "name" });
  });
});

describe("GET /api/jobs", () => {
  it("lists newest first with counts, pages with a cursor and filters by status", async () => {
    for (let i = 0; i < 3; i++) await post({ name: "demo.noop", payload: {} });
    const first = await (await jobsRoute.GET(new Request("http://x/api/jobs?limit=2"))).json();
    expect(first.jobs).toHaveLength(2);
    expect(first.jobs[0].id).toBeGreaterThan(first.jobs[1].id);
    expect(first.counts.queued).toBe(4);
    expect(first.jobTypes).toContain("demo.sleep");
    const second = await (await jobsRoute.GET(new Request(`http://x/api/jobs?limit=2&cursor=${first.nextCursor}`))).json();
    expect(second.jobs[0].id).toBeLessThan(first.jobs[1].id);
    const none = await (await jobsRoute.GET(new Request("http://x/api/jobs?status=failed"))).json();
    expect(none.jobs).toEqual([]);
  });

  it("400s an unknown status", async () => {
    const res = await jobsRoute.GET(new Request("http://x/api/jobs?status=weird"));
    expect(res.status).toBe(400);
    expect((await res.json()).error.field).toBe("status");
  });
});

describe("cancel, retry, get", () => {
  it("cancels a queued job, 409s a second cancel, then retries it", async () => {
    const { job } = await (await post({ name: "demo.noop", payload: {} })).json();
    const cancelled = await cancelRoute.POST(new Request("http://x", { method: "POST" }), params(job.id));
    expect(cancelled.status).toBe(200);
    expect((await cancelled.json()).job.status).toBe("cancelled");
    const again = await cancelRoute.POST(new Request("http://x", { method: "POST" }), params(job.id));
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe("conflict");
    const retried = await retryRoute.POST(new Request("http://x", { method: "POST" }), params(job.id));
    expect((await retried.json()).job.status).toBe("queued");
  });

  it("marks a running job cancel-requested", async () => {
    const { job } = await (await post({ name: "demo.noop", payload: {} })).json();
    // Claim everything queued so our job is running.
    while (claimJob(getDb(), "test-worker", 60_000)) {}
    const res = await cancelRoute.POST(new Request("http://x", { method: "POST" }), params(job.id));
    expect((await res.json()).job).toMatchObject({ status: "running", cancelRequested: true });
  });

  it("404s an unknown job and 400s a bad id", async () => {
    const missing = await jobRoute.GET(new Request("http://x"), params(99_999));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: "not_found", message: "job 99999 not found" } });
    const bad = await retryRoute.POST(new Request("http://x", { method: "POST" }), params("abc"));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.field).toBe("id");
  });
});

describe("GET /api/health", () => {
  it("reports the database, workers and queue depth", async () => {
    const body = await (await healthRoute.GET()).json();
    expect(body).toMatchObject({ ok: true, db: { ok: true }, workers: { live: 0 } });
    expect(body.queue.running).toBeGreaterThan(0);
  });

  it("lists the process's bounded caches", async () => {
    const { createCache } = await import("../lib/cache/lru");
    createCache<number>({ name: "test.health-listed", maxEntries: 4, purpose: "listed by health" }).set("a", 1);
    const body = await (await healthRoute.GET()).json();
    expect(body.caches).toContainEqual({ name: "test.health-listed", maxEntries: 4, size: 1, purpose: "listed by health" });
  });
});
