import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTempDb, type TempDb } from "../../tests/helpers";
import { jobs, seedMarkers } from "../../db/schema";
import { ConflictError, NotFoundError, ValidationError } from "../errors/app-error";
import { PayloadError } from "./errors";
import {
  claimJob,
  completeJob,
  extendLease,
  failJob,
  getJob,
  recordStep,
  requestCancel,
  requeueExpiredLeases,
  retryJob,
  updateProgress,
} from "./store/queue";
import { enqueueJob } from "./store/enqueue";

let t: TempDb;
beforeEach(() => {
  t = createTempDb();
});
afterEach(() => t.cleanup());

describe("enqueue and claim", () => {
  it("claims in priority then id order, each job once", () => {
    const a = enqueueJob(t.db, "demo.noop", {});
    const b = enqueueJob(t.db, "demo.noop", {}, { priority: -1 });
    const later = enqueueJob(t.db, "demo.noop", {}, { runAt: Date.now() + 60_000 });
    expect(claimJob(t.db, "w1", 1000)?.id).toBe(b.id);
    const second = claimJob(t.db, "w2", 1000);
    expect(second?.id).toBe(a.id);
    expect(second).toMatchObject({ status: "running", attempts: 1, leaseOwner: "w2" });
    expect(claimJob(t.db, "w3", 1000)).toBeUndefined();
    expect(getJob(t.db, later.id)?.status).toBe("queued");
  });

  it("rejects a bad payload at enqueue, naming the field", () => {
    expect(() => enqueueJob(t.db, "demo.sleep", { steps: 3, stepMs: "fast" })).toThrowError(PayloadError);
    try {
      enqueueJob(t.db, "demo.sleep", { steps: 3, stepMs: "fast" });
    } catch (err) {
      expect((err as PayloadError).field).toBe("payload.stepMs");
      expect((err as Error).message).toMatch(/stepMs/);
    }
    expect(() => enqueueJob(t.db, "nope.nothing", {})).toThrowError(ValidationError);
  });

  it("enqueues inside the caller's transaction (rolled back together)", () => {
    expect(() =>
      t.db.transaction((tx) => {
        tx.insert(seedMarkers).values({ key: "x" }).run();
        enqueueJob(tx, "demo.noop", {});
        throw new Error("abort the transaction");
      }),
    ).toThrow("abort the transaction");
    expect(t.db.select().from(jobs).all()).toHaveLength(0);
    t.db.transaction((tx) => {
      enqueueJob(tx, "demo.noop", {});
    });
    expect(t.db.select().from(jobs).all()).toHaveLength(1);
  });
});

describe("leases", () => {
  it("fences writes by the lease owner", () => {
    const job = enqueueJob(t.db, "demo.noop", {});
    claimJob(t.db, "w1", 1000);
    expect(updateProgress(t.db, job.id, "intruder", 1, 2, "x")).toBe(false);
    expect(completeJob(t.db, job.id, "intruder", null)).toBe(false);
    expect(recordStep(t.db, job.id, "intruder", "k", 1, "w", null)).toBe(false);
    expect(updateProgress(t.db, job.id, "w1", 1, 2, "half")).toBe(true);
    expect(completeJob(t.db, job.id, "w1", { ok: 1 })).toBe(true);
    expect(getJob(t.db, job.id)).toMatchObject({ status: "succeeded", progressDone: 2, result: { ok: 1 } });
  });

  it("requeues expired leases, then fails when attempts run out", () => {
    const job = enqueueJob(t.db, "demo.noop", {}, { maxAttempts: 2 });
    const now = Date.now();
    claimJob(t.db, "w1", 100, now);
    expect(requeueExpiredLeases(t.db, now + 50)).toBe(0);
    expect(requeueExpiredLeases(t.db, now + 200)).toBe(1);
    expect(getJob(t.db, job.id)).toMatchObject({ status: "queued", leaseOwner: null });
    expect(extendLease(t.db, job.id, "w1", 100)).toBeUndefined();
    claimJob(t.db, "w2", 100, now + 300);
    expect(requeueExpiredLeases(t.db, now + 500)).toBe(1);
    expect(getJob(t.db, job.id)?.status).toBe("failed");
    expect(getJob(t.db, job.id)?.error).toMatch(/lease expired/);
  });
});

describe("cancel and retry", () => {
  it("cancels a queued job at once and flags a running one", () => {
    const queued = enqueueJob(t.db, "demo.noop", {});
    expect(requestCancel(t.db, queued.id).status).toBe("cancelled");
    const running = enqueueJob(t.db, "demo.noop", {});
    claimJob(t.db, "w1", 1000);
    expect(requestCancel(t.db, running.id)).toMatchObject({ status: "running", cancelRequested: true });
    expect(extendLease(t.db, running.id, "w1", 1000)).toEqual({ cancelRequested: true });
    expect(() => requestCancel(t.db, queued.id)).toThrowError(ConflictError);
    expect(() => requestCancel(t.db, 999)).toThrowError(NotFoundError);
  });

  it("retries only failed or cancelled jobs", () => {
    const job = enqueueJob(t.db, "demo.noop", {});
    expect(() => retryJob(t.db, job.id)).toThrowError(ConflictError);
    claimJob(t.db, "w1", 1000);
    failJob(t.db, job.id, "w1", "boom");
    const again = retryJob(t.db, job.id);
    expect(again).toMatchObject({ status: "queued", attempts: 0, error: null });
  });
});
