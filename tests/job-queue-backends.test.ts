/**
 * One contract for the job queue (lib/jobs/queue-backend.ts), run on both backends: the SQLite
 * queue of one machine and the PostgreSQL queue (pg-boss delivery + the jobs table) that
 * workers on many machines share. PostgreSQL blocks are titled "[PostgreSQL] …" and skip
 * (visibly, in npm test's summary) when no server answers.
 */
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { migratePg } from "../db/pg/migrate";
import { ConflictError, NotFoundError } from "../lib/errors/app-error";
import type { JobQueue } from "../lib/jobs/queue-backend";
import { createPgJobQueue, ticketQueueName, type PgJobQueueOptions } from "../lib/jobs/store/pg-queue";
import { createSqliteJobQueue } from "../lib/jobs/store/sqlite-queue";
import { createTestDatabase, pgAvailable, type TestPgDatabase } from "./fixtures/pg";
import { createTempDb, type TempDb } from "./helpers";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Backend {
  /** A queue as one worker process sees it (several may share one database). */
  open(): Promise<JobQueue>;
}

function contract(title: string, backend: () => Backend) {
  describe(title, () => {
    let q: JobQueue;
    const opened: JobQueue[] = [];
    const open = async () => {
      const queue = await backend().open();
      opened.push(queue);
      return queue;
    };
    beforeEach(async () => {
      q = await open();
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((o) => o.close()));
    });

    it("claims in priority then id order, each job once; a job not yet due waits", async () => {
      const a = await q.enqueue("demo.noop", {});
      const b = await q.enqueue("demo.noop", {}, { priority: -1 });
      const later = await q.enqueue("demo.noop", {}, { runAt: Date.now() + 60_000 });
      expect((await q.claim("w1", 10_000))?.id).toBe(b.id);
      const second = await q.claim("w2", 10_000);
      expect(second).toMatchObject({ id: a.id, status: "running", attempts: 1, leaseOwner: "w2" });
      expect(await q.claim("w3", 10_000)).toBeUndefined();
      expect((await q.get(later.id))?.status).toBe("queued");
    });

    it("keeps the payload and the kind's attempts; rejects a bad payload naming the field", async () => {
      const job = await q.enqueue("demo.sleep", { steps: 2, stepMs: 5 });
      expect(job).toMatchObject({ name: "demo.sleep", payload: { steps: 2, stepMs: 5 }, status: "queued", maxAttempts: 5, cancelRequested: false });
      await expect(q.enqueue("demo.sleep", { steps: 3, stepMs: "fast" })).rejects.toThrow(/stepMs/);
      expect((await q.get(job.id))?.payload).toEqual({ steps: 2, stepMs: 5 });
    });

    it("a worker keeping its last slot for other kinds skips that kind", async () => {
      const sleepJob = await q.enqueue("demo.sleep", { steps: 1, stepMs: 1 }, { priority: -5 });
      const noop = await q.enqueue("demo.noop", {});
      expect((await q.claim("w1", 10_000, "demo.sleep"))?.id).toBe(noop.id);
      expect(await q.claim("w1", 10_000, "demo.sleep")).toBeUndefined();
      expect((await q.claim("w1", 10_000))?.id).toBe(sleepJob.id);
    });

    it("fences every write by the lease owner; an expired lease goes back to the queue counting the attempt", async () => {
      const job = await q.enqueue("demo.noop", {});
      expect((await q.claim("dead-worker", 50))?.id).toBe(job.id);
      expect(await q.extendLease(job.id, "someone-else", 10_000)).toBeUndefined();
      expect(await q.updateProgress(job.id, "someone-else", 1, 2, "x")).toBe(false);
      await sleep(80);
      expect(await q.requeueExpired()).toBe(1);
      expect(await q.get(job.id)).toMatchObject({ status: "queued", leaseOwner: null, error: expect.stringMatching(/lease expired/) });
      const again = await q.claim("w2", 10_000);
      expect(again).toMatchObject({ id: job.id, attempts: 2, leaseOwner: "w2" });
      // The vanished worker comes back: nothing it writes lands.
      expect(await q.complete(job.id, "dead-worker", { late: true })).toBe(false);
      expect(await q.recordStep(job.id, "dead-worker", "k", 1, "dead", 1)).toBe(false);
      expect(await q.complete(job.id, "w2", { ok: 1 })).toBe(true);
      expect(await q.get(job.id)).toMatchObject({ status: "succeeded", result: { ok: 1 }, leaseOwner: null });
    });

    it("an expired lease with attempts used up fails the job; with cancel requested it cancels", async () => {
      const spent = await q.enqueue("demo.noop", {}, { maxAttempts: 1 });
      const cancelled = await q.enqueue("demo.noop", {});
      await q.claim("w1", 30);
      await q.claim("w1", 30);
      await q.requestCancel(cancelled.id);
      await sleep(60);
      expect(await q.requeueExpired()).toBe(2);
      expect((await q.get(spent.id))?.status).toBe("failed");
      expect((await q.get(cancelled.id))?.status).toBe("cancelled");
      expect(await q.claim("w2", 10_000)).toBeUndefined();
    });

    it("reports progress; completing sets done to total", async () => {
      const job = await q.enqueue("demo.sleep", { steps: 4, stepMs: 1 });
      await q.claim("w1", 10_000);
      expect(await q.updateProgress(job.id, "w1", 1, 4, "step 1")).toBe(true);
      expect(await q.get(job.id)).toMatchObject({ progressDone: 1, progressTotal: 4, progressMessage: "step 1" });
      expect(await q.updateProgress(job.id, "w1", 2, undefined, undefined)).toBe(true);
      expect(await q.get(job.id)).toMatchObject({ progressDone: 2, progressTotal: 4, progressMessage: "step 1" });
      await q.complete(job.id, "w1", null);
      expect(await q.get(job.id)).toMatchObject({ status: "succeeded", progressDone: 4, result: null });
    });

    it("a retry waits for its run-at time (backoff), then runs again", async () => {
      const job = await q.enqueue("demo.noop", {});
      await q.claim("w1", 10_000);
      expect(await q.scheduleRetry(job.id, "w1", "attempt 1: boom", Date.now() + 1_200)).toBe(true);
      expect(await q.get(job.id)).toMatchObject({ status: "queued", error: "attempt 1: boom" });
      expect(await q.claim("w2", 10_000)).toBeUndefined();
      await sleep(1_400);
      expect(await q.claim("w2", 10_000)).toMatchObject({ id: job.id, attempts: 2, error: null });
    });

    it("fails for good; a failed or cancelled job can be retried from the start (steps kept)", async () => {
      const job = await q.enqueue("demo.noop", {});
      await q.claim("w1", 10_000);
      await q.recordStep(job.id, "w1", "paid-call", 1, "w1", { tokens: 42 });
      expect(await q.fail(job.id, "w1", "bad input")).toBe(true);
      expect(await q.get(job.id)).toMatchObject({ status: "failed", error: "bad input" });
      expect(await q.claim("w2", 10_000)).toBeUndefined();
      await expect(q.requestCancel(job.id)).rejects.toBeInstanceOf(ConflictError);
      expect(await q.retry(job.id)).toMatchObject({ status: "queued", attempts: 0, error: null });
      expect(await q.claim("w2", 10_000)).toMatchObject({ id: job.id, attempts: 1 });
      expect(await q.getStep(job.id, "paid-call")).toEqual({ output: { tokens: 42 } });
      await expect(q.retry(job.id)).rejects.toBeInstanceOf(ConflictError);
      await expect(q.retry(999_999)).rejects.toBeInstanceOf(NotFoundError);
    });

    it("cancels a queued job at once and a running one through its lease", async () => {
      const queued = await q.enqueue("demo.noop", {}, { priority: 5 });
      const running = await q.enqueue("demo.noop", {});
      await q.claim("w1", 10_000);
      expect(await q.requestCancel(queued.id)).toMatchObject({ status: "cancelled", cancelRequested: true });
      expect(await q.claim("w2", 10_000)).toBeUndefined();
      expect(await q.requestCancel(running.id)).toMatchObject({ status: "running", cancelRequested: true });
      expect(await q.extendLease(running.id, "w1", 10_000)).toEqual({ cancelRequested: true });
      expect(await q.markCancelled(running.id, "w1")).toBe(true);
      expect((await q.get(running.id))?.status).toBe("cancelled");
    });

    it("hands a job back on shutdown without counting the attempt", async () => {
      const job = await q.enqueue("demo.noop", {});
      await q.claim("w1", 10_000);
      expect(await q.release(job.id, "w1")).toBe(true);
      expect(await q.claim("w2", 10_000)).toMatchObject({ id: job.id, attempts: 1, leaseOwner: "w2" });
    });

    it("records a step once, only for the owner", async () => {
      const job = await q.enqueue("demo.noop", {});
      await q.claim("w1", 10_000);
      expect(await q.getStep(job.id, "turn-1")).toBeUndefined();
      expect(await q.recordStep(job.id, "w1", "turn-1", 1, "w1", { reply: "hi" })).toBe(true);
      expect(await q.getStep(job.id, "turn-1")).toEqual({ output: { reply: "hi" } });
      await expect(q.recordStep(job.id, "w1", "turn-1", 1, "w1", { reply: "again" })).rejects.toThrow();
      expect(await q.getStep(job.id, "turn-1")).toEqual({ output: { reply: "hi" } });
    });

    it("several workers claiming at once get every job exactly once", async () => {
      const n = 40;
      const ids = new Set<number>();
      for (let i = 0; i < n; i++) ids.add((await q.enqueue("demo.noop", {}, { priority: i % 3 })).id);
      const workers = [q, await open(), await open()];
      const claimed: number[] = [];
      await Promise.all(
        workers.flatMap((w, wi) =>
          [0, 1].map(async (slot) => {
            for (;;) {
              const job = await w.claim(`w${wi}-${slot}`, 10_000);
              if (!job) return;
              claimed.push(job.id);
            }
          }),
        ),
      );
      expect(claimed.length).toBe(n);
      expect(new Set(claimed)).toEqual(ids);
    });
  });
}

let sqliteDb: TempDb | undefined;
contract("job queue contract on SQLite", () => ({
  async open() {
    sqliteDb ??= createTempDb();
    return createSqliteJobQueue(sqliteDb.db);
  },
}));
afterEach(() => {
  sqliteDb?.cleanup();
  sqliteDb = undefined;
});

const hasPg = await pgAvailable();
let pgDb: TestPgDatabase | undefined;
const pgOptions = (): PgJobQueueOptions => ({ url: pgDb!.url, maintenanceSeconds: 1, ticketExpireSeconds: 1 });

async function resetPg() {
  const c = new pg.Client({ connectionString: pgDb!.url });
  await c.connect();
  try {
    await c.query("TRUNCATE jobs, job_steps RESTART IDENTITY CASCADE");
    const boss = await c.query("SELECT to_regclass('pgboss.job') AS t");
    if (boss.rows[0].t) await c.query("DELETE FROM pgboss.job");
  } finally {
    await c.end();
  }
}

describe.skipIf(!hasPg)("[PostgreSQL] job queue on pg-boss", () => {
  beforeAll(async () => {
    pgDb = await createTestDatabase();
    await migratePg(pgDb.url);
  }, 60_000);
  afterAll(async () => {
    await pgDb?.drop();
  });
  beforeEach(async () => {
    await resetPg();
  });

  contract("the same contract", () => ({ open: () => createPgJobQueue(pgOptions()) }));

  it("a ticket fetched by a worker that died before claiming is delivered again after it expires", async () => {
    const q = await createPgJobQueue(pgOptions());
    try {
      const job = await q.enqueue("demo.noop", {});
      // The "worker" fetches the ticket straight from pg-boss and dies without claiming.
      const c = new pg.Client({ connectionString: pgDb!.url });
      await c.connect();
      const fetched = await c.query(
        `UPDATE pgboss.job SET state = 'active', started_on = now() WHERE name = $1 AND state = 'created' RETURNING id`,
        [ticketQueueName("demo.noop")],
      );
      await c.end();
      expect(fetched.rowCount).toBe(1);
      expect(await q.claim("w1", 10_000)).toBeUndefined();
      // Expiry (1 s here) plus a maintenance pass (every 1 s), then pg-boss's retry delay.
      let claimed;
      for (let i = 0; i < 40 && !claimed; i++) {
        await sleep(250);
        claimed = await q.claim("w1", 10_000);
      }
      expect(claimed?.id).toBe(job.id);
    } finally {
      await q.close();
    }
  }, 30_000);

  it("a queued job whose ticket was lost gets one again (deduplicated)", async () => {
    const q = await createPgJobQueue({ ...pgOptions(), resendAfterMs: 0, resendEveryMs: 0 });
    try {
      const job = await q.enqueue("demo.noop", {});
      const c = new pg.Client({ connectionString: pgDb!.url });
      await c.connect();
      await c.query("DELETE FROM pgboss.job");
      expect(await q.claim("w1", 10_000)).toBeUndefined();
      await sleep(5);
      await q.requeueExpired();
      await q.requeueExpired();
      const tickets = await c.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE state = 'created'`);
      await c.end();
      expect(tickets.rows[0].n).toBe(1);
      expect((await q.claim("w1", 10_000))?.id).toBe(job.id);
    } finally {
      await q.close();
    }
  }, 30_000);
});
