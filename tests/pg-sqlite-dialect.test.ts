/**
 * Store queries written once against the SQLite schema run on PostgreSQL through the
 * SQLite-dialect proxy (db/pg/sqlite-dialect.ts): the statement translation, and the same
 * store functions giving the same answers on both backends.
 */
import { and, asc, count, eq, gte, inArray, sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { changes, q, transaction, type AnyDb, type TransactionBody } from "../db/any-db";
import { createPgPool } from "../db/pg/client";
import { migratePg } from "../db/pg/migrate";
import { numberPlaceholders, sqliteDialectOnPg, sqliteToPgStatement, withPgTransaction } from "../db/pg/sqlite-dialect";
import { jobs, workers } from "../db/schema";
import { getHealth } from "../db/queries/health";
import { countJobsByStatus, listJobs } from "../db/queries/jobs";
import { getWorker, listWorkersOverview, recordWorkerHeartbeat, registerWorker } from "../lib/jobs/store/workers";
import { createTestDatabase, pgAvailable, type TestPgDatabase } from "./fixtures/pg";
import { createTempDb, type TempDb } from "./helpers";

describe("SQLite statements as PostgreSQL (no server needed)", () => {
  it("numbers placeholders, leaving quoted text and identifiers alone", () => {
    expect(numberPlaceholders(`select "a?" from t where x = ? and y = '?' and z in (?, ?)`)).toBe(
      `select "a?" from t where x = $1 and y = '?' and z in ($2, $3)`,
    );
    expect(numberPlaceholders(`select 'it''s ?' , ? from "we""ird?"`)).toBe(`select 'it''s ?' , $1 from "we""ird?"`);
  });

  it("drops the table qualifier of an upsert's conflict target and spells the ms clock for PostgreSQL", () => {
    expect(sqliteToPgStatement(`insert into "w" ("id", "t") values (?, (cast(unixepoch('subsec') * 1000 as integer))) on conflict ("w"."id") do update set "t" = ?`)).toBe(
      `insert into "w" ("id", "t") values ($1, ((extract(epoch from clock_timestamp()) * 1000)::bigint)) on conflict ("id") do update set "t" = $2`,
    );
  });

  it("writes an omitted column of a multi-row insert as DEFAULT, leaving the rest of the statement alone", () => {
    expect(sqliteToPgStatement(`insert into "t" ("id", "a", "b") values (null, ?, null), (null, ?, ?) returning "id", "b"`)).toBe(
      `insert into "t" ("id", "a", "b") values (default, $1, default), (default, $2, $3) returning "id", "b"`,
    );
    expect(sqliteToPgStatement(`update "t" set "a" = null where "b" is null`)).toBe(`update "t" set "a" = null where "b" is null`);
  });
});

/** A few store-shaped queries over the jobs table, run the same way on either backend. */
async function jobQueries(db: AnyDb) {
  const inserted = await db
    .insert(jobs)
    .values([
      { name: "demo.noop", payload: { tag: "a", n: [1, 2] }, runAt: 1_000, priority: 2 },
      { name: "demo.sleep", payload: { steps: 3, stepMs: 1 }, runAt: 2_000, cancelRequested: true },
      { name: "demo.noop", payload: {}, runAt: 3_000, priority: -1, progressTotal: 10 },
    ])
    .returning({ id: jobs.id, payload: jobs.payload, cancelRequested: jobs.cancelRequested });
  const updated = changes(await db.update(jobs).set({ status: "running", leaseOwner: "w1" }).where(and(eq(jobs.name, "demo.noop"), gte(jobs.runAt, 1_000))).run());
  const byPriority = await db.select({ id: jobs.id, priority: jobs.priority, status: jobs.status }).from(jobs).orderBy(asc(jobs.priority), asc(jobs.id)).all();
  const one = await db.select().from(jobs).where(eq(jobs.id, inserted[1].id)).get();
  const none = await db.select().from(jobs).where(eq(jobs.id, 999)).get();
  const grouped = await db.select({ name: jobs.name, n: count() }).from(jobs).groupBy(jobs.name).orderBy(jobs.name).all();
  const raw = await db
    .select({ total: sql<number>`sum(${jobs.runAt})`.mapWith(Number) })
    .from(jobs)
    .where(inArray(jobs.id, inserted.map((j) => j.id)))
    .get();
  const deleted = changes(await db.delete(jobs).where(eq(jobs.cancelRequested, true)).run());
  // Timestamps differ by backend clock and run time: compare their presence, not value.
  const { createdAt, updatedAt, ...rest } = one!;
  return { inserted, updated, byPriority, one: rest, stamps: [typeof createdAt, typeof updatedAt], none, grouped, raw, deleted };
}

/** The workers store (lib/jobs/store/workers.ts), written once for both. */
async function workerStoreQueries(db: AnyDb) {
  const now = 5_000_000_000_000;
  await registerWorker(db, { id: "a", pid: 1, host: "alpha", concurrency: 2, version: "1", nodeVersion: "v20" }, now - 1_000);
  await registerWorker(db, { id: "a", pid: 1, host: "alpha", concurrency: 2, version: "1", nodeVersion: "v20" }, now - 900);
  await registerWorker(db, { id: "b", pid: 2, host: "beta", concurrency: 1, version: null, nodeVersion: null }, now - 600_000);
  const idle = { jobsDone: 0, jobsFailed: 0, rolloutsDone: 0, jobsPerMin: 0, rolloutsPerSec: 0 };
  await recordWorkerHeartbeat(db, "a", { ...idle, jobsDone: 3, jobsPerMin: 1.5, running: 1, status: "running" }, now - 100);
  const a = await getWorker(db, "a");
  const overview = await listWorkersOverview(db, { sinceMs: 3_600_000 }, now);
  // started_at is the database clock at insert: compare its presence, not its value.
  const hosts = overview.hosts.map((h) => ({ ...h, workers: h.workers.map((w) => ({ ...w, startedAt: typeof w.startedAt })) }));
  return { a: { ...a, startedAt: typeof a?.startedAt }, overview: { ...overview, hosts } };
}

/** A body written once: read, decide, write; throws after writing when asked to. */
const renameWorker =
  (id: string, host: string, failAfterWrite = false): TransactionBody<number> =>
  function* (tx) {
    const row = yield* q(tx.select({ host: workers.host }).from(workers).where(eq(workers.id, id)).get());
    if (!row) {
      yield* q(tx.insert(workers).values({ id, pid: 1, host, concurrency: 1, heartbeatAt: 1 }).run());
      return 1;
    }
    const changed = changes(yield* q(tx.update(workers).set({ host }).where(eq(workers.id, id)).run()));
    if (failAfterWrite) throw new Error("after the write");
    return changed;
  };

/**
 * A failed query caught inside a body: SQLite goes on with the transaction, PostgreSQL has
 * aborted it (25P02), so the next statement fails and the whole transaction rolls back. The
 * portable rule (ARCHITECTURE.md): never catch a failed statement to carry on; avoid the failure
 * (ON CONFLICT …). Either way nothing is half-applied.
 */
const catchAndContinue: TransactionBody<string> = function* (tx) {
  yield* q(tx.insert(workers).values({ id: "first", pid: 2, host: "kept?", concurrency: 1, heartbeatAt: 1 }).run());
  try {
    yield* q(tx.insert(workers).values({ id: "first", pid: 2, host: "dup", concurrency: 1, heartbeatAt: 1 }).run());
  } catch {
    yield* q(tx.insert(workers).values({ id: "second", pid: 2, host: "after", concurrency: 1, heartbeatAt: 1 }).run());
  }
  return "done";
};

/** The same transaction checks on either backend. */
async function transactionChecks(db: AnyDb) {
  const hostOf = async (id: string) => (await db.select({ host: workers.host }).from(workers).where(eq(workers.id, id)).get())?.host;
  const inserted = await transaction(db, renameWorker("w", "alpha"));
  const updated = await transaction(db, renameWorker("w", "beta"));
  await expect(transaction(db, renameWorker("w", "gamma", true))).rejects.toThrow("after the write");
  const afterRollback = await hostOf("w");
  return { inserted, updated, afterRollback };
}

describe("transactions written once (SQLite)", () => {
  let t: TempDb;
  beforeAll(() => {
    t = createTempDb();
  });
  afterAll(() => t.cleanup());
  afterEach(() => {
    t.db.delete(workers).run();
  });

  it("commit, rollback on a throw, and a failed query caught inside the body", async () => {
    expect(await transactionChecks(t.db)).toEqual({ inserted: 1, updated: 1, afterRollback: "beta" });
  });

  it("goes on after a failed statement the body catches (PostgreSQL does not: see catchAndContinue)", async () => {
    expect(await transaction(t.db, catchAndContinue)).toBe("done");
    expect(t.db.select({ id: workers.id }).from(workers).orderBy(workers.id).all()).toEqual([{ id: "first" }, { id: "second" }]);
  });

  it("runs the whole body synchronously: nothing else in the process runs inside it", async () => {
    const order: string[] = [];
    queueMicrotask(() => order.push("other work"));
    const done = transaction(t.db, function* (tx) {
      order.push("body start");
      yield* q(tx.insert(workers).values({ id: "s", pid: 1, host: "h", concurrency: 1, heartbeatAt: 1 }).run());
      yield* q(tx.select().from(workers).all());
      order.push("body end");
      return true;
    });
    order.push("after call");
    await done;
    expect(order).toEqual(["body start", "body end", "after call", "other work"]);
  });

  it("refuses a body that awaits something other than a query, and rolls it back", async () => {
    await expect(
      transaction(t.db, function* (tx) {
        yield* q(tx.insert(workers).values({ id: "x", pid: 1, host: "h", concurrency: 1, heartbeatAt: 1 }).run());
        yield* q(new Promise((r) => setTimeout(r, 1)));
        return 1;
      }),
    ).rejects.toThrow(/only database queries/);
    expect(t.db.select().from(workers).all()).toEqual([]);
  });
});

/** The jobs page's reads (db/queries/jobs.ts) and the health report, written once for both. */
async function jobsPageQueries(db: AnyDb) {
  for (let i = 0; i < 7; i++) {
    await db.insert(jobs).values({ name: i % 2 ? "demo.noop" : "demo.sleep", payload: { i }, runAt: i, status: i < 3 ? "succeeded" : "queued" }).run();
  }
  const first = await listJobs(db, { limit: 3 });
  const second = await listJobs(db, { limit: 3, cursor: first.nextCursor ?? undefined });
  const filtered = await listJobs(db, { status: "queued", name: "demo.noop" });
  const strip = (page: Awaited<ReturnType<typeof listJobs>>) => ({ ids: page.jobs.map((j) => j.id), payloads: page.jobs.map((j) => j.payload), nextCursor: page.nextCursor });
  const health = await getHealth(() => db, 5_000_000_000_000);
  return { first: strip(first), second: strip(second), filtered: strip(filtered), counts: await countJobsByStatus(db), health: { ...health, checkedAt: 0 } };
}

const hasPg = await pgAvailable();

describe.skipIf(!hasPg)("[PostgreSQL] the same store queries on both backends", () => {
  let pgDb: TestPgDatabase;
  let pool: pg.Pool;
  const sqlite: TempDb[] = [];
  beforeAll(async () => {
    pgDb = await createTestDatabase();
    await migratePg(pgDb.url);
    pool = createPgPool(pgDb.url, { max: 3 });
  }, 60_000);
  afterAll(async () => {
    await pool?.end();
    await pgDb?.drop();
  });
  afterEach(async () => {
    sqlite.splice(0).forEach((t) => t.cleanup());
    await pool.query("TRUNCATE jobs, workers RESTART IDENTITY CASCADE");
  });
  const freshSqlite = () => {
    const t = createTempDb();
    sqlite.push(t);
    return t.db;
  };

  it("selects, inserts with RETURNING, updates, deletes, JSON, booleans, aggregates and raw sql agree", async () => {
    const onSqlite = await jobQueries(freshSqlite());
    const onPg = await jobQueries(sqliteDialectOnPg(pool));
    expect(onPg).toEqual(onSqlite);
    expect(onSqlite.inserted[0].payload).toEqual({ tag: "a", n: [1, 2] });
    expect(onSqlite.updated).toBe(2);
    expect(onSqlite.deleted).toBe(1);
  });

  it("the workers store gives the same rows and overview on both", async () => {
    const onSqlite = await workerStoreQueries(freshSqlite());
    const onPg = await workerStoreQueries(sqliteDialectOnPg(pool));
    expect(onPg).toEqual(onSqlite);
    expect(onSqlite.a).toMatchObject({ host: "alpha", jobsDone: 3, jobsPerMin: 1.5, status: "running" });
  });

  it("the jobs page's list, counts and the health report agree", async () => {
    const onSqlite = await jobsPageQueries(freshSqlite());
    const onPg = await jobsPageQueries(sqliteDialectOnPg(pool));
    expect(onPg).toEqual(onSqlite);
    expect(onSqlite.first.ids).toEqual([7, 6, 5]);
    expect(onSqlite.counts).toMatchObject({ queued: 4, succeeded: 3, running: 0 });
    expect(onSqlite.health).toMatchObject({ ok: true, queue: { queued: 4 } });
  });

  it("transaction bodies written once behave the same on PostgreSQL", async () => {
    const db = sqliteDialectOnPg(pool);
    expect(await transactionChecks(db)).toEqual({ inserted: 1, updated: 1, afterRollback: "beta" });
    // After a failed statement PostgreSQL refuses the rest, and the whole body rolls back.
    await expect(transaction(db, catchAndContinue)).rejects.toThrow();
    expect((await db.select({ id: workers.id }).from(workers).all()).map((r) => r.id)).toEqual(["w"]);
  });

  it("a transaction commits on one connection and rolls back on a throw", async () => {
    await withPgTransaction(pool, async (tx) => {
      await tx.insert(workers).values({ id: "t1", pid: 1, host: "h", concurrency: 1, heartbeatAt: 1 }).run();
      expect(await tx.select({ id: workers.id }).from(workers).all()).toEqual([{ id: "t1" }]);
    });
    await expect(
      withPgTransaction(pool, async (tx) => {
        await tx.insert(workers).values({ id: "t2", pid: 1, host: "h", concurrency: 1, heartbeatAt: 1 }).run();
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    const ids = (await sqliteDialectOnPg(pool).select({ id: workers.id }).from(workers).all()).map((r) => r.id);
    expect(ids).toEqual(["t1"]);
  });
});
