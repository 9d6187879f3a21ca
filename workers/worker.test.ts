import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTempDb, waitFor, type TempDb } from "../tests/helpers";
import { jobs, jobSteps, workers } from "../db/schema";
import { getJob, requestCancel } from "../lib/jobs/store/queue";
import { enqueueJob } from "../lib/jobs/store/enqueue";
import { createWorker, type Worker } from "./worker";

let t: TempDb;
let w: Worker | undefined;
beforeEach(() => {
  t = createTempDb();
});
afterEach(async () => {
  await w?.stop();
  w = undefined;
  t.cleanup();
});

function startWorker(opts: Partial<Parameters<typeof createWorker>[0]> = {}) {
  w = createWorker({ db: t.db, pollMs: 20, backoffMs: 20, leaseMs: 2_000, ...opts });
  w.start();
  return w;
}

const statusOf = (id: number) => getJob(t.db, id)?.status;
const finished = (id: number) => {
  const s = statusOf(id);
  return s === "succeeded" || s === "failed" || s === "cancelled" ? s : undefined;
};

describe("worker", () => {
  it("fails a job with an invalid payload at once, naming the field", async () => {
    const [row] = t.db.insert(jobs).values({ name: "demo.sleep", payload: { steps: 2, stepMs: "slow" }, runAt: Date.now() }).returning().all();
    startWorker();
    expect(await waitFor(() => finished(row.id), 5_000, "job end")).toBe("failed");
    const job = getJob(t.db, row.id)!;
    expect(job.attempts).toBe(1);
    expect(job.error).toMatch(/payload\.stepMs/);
  });

  it("fails an unknown job type at once", async () => {
    const [row] = t.db.insert(jobs).values({ name: "ghost.run", payload: {}, runAt: Date.now() }).returning().all();
    startWorker();
    expect(await waitFor(() => finished(row.id), 5_000, "job end")).toBe("failed");
    expect(getJob(t.db, row.id)?.error).toMatch(/unknown job/);
  });

  it("retries retryable failures with backoff and succeeds", async () => {
    const job = enqueueJob(t.db, "demo.fail", { retryable: true, failTimes: 2 });
    startWorker();
    expect(await waitFor(() => finished(job.id), 10_000, "job end")).toBe("succeeded");
    expect(getJob(t.db, job.id)).toMatchObject({ attempts: 3, result: { attempt: 3 } });
  });

  it("gives up after maxAttempts retryable failures", async () => {
    const job = enqueueJob(t.db, "demo.fail", { retryable: true, failTimes: 10 });
    startWorker();
    expect(await waitFor(() => finished(job.id), 10_000, "job end")).toBe("failed");
    expect(getJob(t.db, job.id)?.attempts).toBe(3);
    expect(getJob(t.db, job.id)?.error).toMatch(/gave up after 3 attempts/);
  });

  it("does not retry a permanent failure", async () => {
    const job = enqueueJob(t.db, "demo.fail", { retryable: false, failTimes: 1 });
    startWorker();
    expect(await waitFor(() => finished(job.id), 5_000, "job end")).toBe("failed");
    expect(getJob(t.db, job.id)).toMatchObject({ attempts: 1 });
    expect(getJob(t.db, job.id)?.error).toMatch(/simulated permanent failure/);
  });

  it("stops a running job within 2 s of cancel", async () => {
    const job = enqueueJob(t.db, "demo.sleep", { steps: 200, stepMs: 100 });
    startWorker({ leaseMs: 30_000 });
    await waitFor(() => (getJob(t.db, job.id)?.progressDone ?? 0) >= 1, 5_000, "first step");
    const asked = Date.now();
    requestCancel(t.db, job.id);
    await waitFor(() => statusOf(job.id) === "cancelled", 2_000, "cancelled status");
    expect(Date.now() - asked).toBeLessThan(2_000);
    const steps = t.db.select().from(jobSteps).all().length;
    await new Promise((r) => setTimeout(r, 300));
    expect(t.db.select().from(jobSteps).all().length).toBe(steps);
  });

  it("runs several jobs at once and reports progress", async () => {
    const ids = Array.from({ length: 4 }, () => enqueueJob(t.db, "demo.sleep", { steps: 3, stepMs: 150 }).id);
    // Five slots: one kind may hold all but one of them (workers/slot-rule.ts).
    startWorker({ concurrency: 5 });
    for (const id of ids) await waitFor(() => finished(id), 5_000, `job ${id}`);
    for (const id of ids) expect(getJob(t.db, id)).toMatchObject({ status: "succeeded", progressDone: 3, progressTotal: 3 });
    // Concurrency shows as overlapping run intervals (timing-independent): every job started
    // before the first one finished.
    const rows = ids.map((id) => getJob(t.db, id)!);
    const firstFinish = Math.min(...rows.map((r) => r.finishedAt!));
    expect(rows.every((r) => r.startedAt! < firstFinish)).toBe(true);
  });

  it("releases running jobs on stop and a new worker resumes them from the saved steps", async () => {
    const job = enqueueJob(t.db, "demo.sleep", { steps: 6, stepMs: 100 });
    const first = startWorker();
    await waitFor(() => (getJob(t.db, job.id)?.progressDone ?? 0) >= 2, 5_000, "two steps");
    await first.stop();
    w = undefined;
    expect(getJob(t.db, job.id)).toMatchObject({ status: "queued", leaseOwner: null, attempts: 0 });
    expect(t.db.select().from(workers).get()?.status).toBe("stopped");
    const saved = t.db.select().from(jobSteps).all().length;
    expect(saved).toBeGreaterThanOrEqual(2);
    startWorker();
    expect(await waitFor(() => finished(job.id), 5_000, "job end")).toBe("succeeded");
    const steps = t.db.select().from(jobSteps).all();
    expect(steps).toHaveLength(6);
    expect(new Set(steps.map((s) => s.key)).size).toBe(6);
  });
});
