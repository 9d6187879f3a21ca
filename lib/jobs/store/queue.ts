/**
 * The jobs domain's store (with ./enqueue.ts): the queue API over the `jobs` table. All
 * functions are synchronous (better-sqlite3) and take the db. Every write by a worker is
 * fenced by its lease token: a worker that lost its lease (expired, taken over) changes
 * nothing. Enqueueing is apart (./enqueue.ts): it validates payloads against every job
 * kind's schema, which the read and control routes (GET, cancel, retry) need not load.
 */
import { and, eq, lte, ne, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../../../db/client";
import { jobs, jobSteps, type JobRow } from "../../../db/schema";
import { ConflictError, NotFoundError } from "../../errors/app-error";

/**
 * Hot-path statements, prepared once per connection: the queue does a few writes per job
 * and rebuilding the SQL each time costs more than running it.
 */
function buildStatements(db: Db) {
  const p = sql.placeholder;
  const ownedP = and(eq(jobs.id, p("id")), eq(jobs.leaseOwner, p("owner")), eq(jobs.status, "running"));
  // What a claim writes; `claim` and `claimExcept` differ only in which queued job they pick.
  const claimSet = {
    status: "running",
    leaseOwner: sql`${p("owner")}`,
    leaseExpiresAt: sql`${p("leaseUntil")}`,
    attempts: sql`${jobs.attempts} + 1`,
    startedAt: sql`coalesce(${jobs.startedAt}, ${p("now")})`,
    updatedAt: sql`${p("now")}`,
    error: null,
  } as const;
  return {
    claim: db
      .update(jobs)
      .set(claimSet)
      .where(
        eq(
          jobs.id,
          sql`(SELECT id FROM jobs WHERE status = 'queued' AND run_at <= ${p("now")} ORDER BY priority, id LIMIT 1)`,
        ),
      )
      .returning()
      .prepare(),
    anyDue: db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(eq(jobs.status, "queued"), lte(jobs.runAt, p("now"))))
      .limit(1)
      .prepare(),
    // The same claim for a worker whose last free slot is reserved for other job kinds.
    claimExcept: db
      .update(jobs)
      .set(claimSet)
      .where(
        eq(
          jobs.id,
          sql`(SELECT id FROM jobs WHERE status = 'queued' AND run_at <= ${p("now")} AND name <> ${p("exclude")} ORDER BY priority, id LIMIT 1)`,
        ),
      )
      .returning()
      .prepare(),
    anyDueExcept: db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(eq(jobs.status, "queued"), lte(jobs.runAt, p("now")), ne(jobs.name, p("exclude"))))
      .limit(1)
      .prepare(),
    extend: db
      .update(jobs)
      .set({ leaseExpiresAt: sql`${p("leaseUntil")}` })
      .where(ownedP)
      .returning({ cancelRequested: jobs.cancelRequested })
      .prepare(),
    complete: db
      .update(jobs)
      .set({
        status: "succeeded",
        result: sql`${p("result")}`,
        leaseOwner: null,
        leaseExpiresAt: null,
        finishedAt: sql`${p("now")}`,
        updatedAt: sql`${p("now")}`,
        progressDone: sql`coalesce(${jobs.progressTotal}, ${jobs.progressDone})`,
      })
      .where(ownedP)
      .prepare(),
    ownedCheck: db.select({ id: jobs.id }).from(jobs).where(ownedP).prepare(),
    insertStep: db
      .insert(jobSteps)
      .values({
        jobId: sql`${p("jobId")}`,
        key: sql`${p("key")}`,
        attempt: sql`${p("attempt")}`,
        workerId: sql`${p("workerId")}`,
        output: sql`${p("output")}`,
      })
      .prepare(),
    getStep: db
      .select({ output: jobSteps.output })
      .from(jobSteps)
      .where(and(eq(jobSteps.jobId, p("jobId")), eq(jobSteps.key, p("key"))))
      .prepare(),
  };
}

/** Keyed by the connection (a WeakMap, not a string-keyed cache): its statements go with it. */
const statementsByConnection = new WeakMap<object, ReturnType<typeof buildStatements>>();
function statements(db: Db) {
  let s = statementsByConnection.get(db.$client);
  if (!s) {
    s = buildStatements(db);
    statementsByConnection.set(db.$client, s);
  }
  return s;
}

/**
 * The one atomic claim: a single UPDATE whose subquery picks the next due job. SQLite runs
 * it under the write lock, so two workers can never get the same row. A plain read first:
 * with nothing due, an idle poll takes no write lock, so it never waits behind (nor
 * delays) the writers of running jobs. `excludeName`: claim any due job except one of that
 * kind (the worker's slot rule, workers/slot-rule.ts).
 */
export function claimJob(db: Db, owner: string, leaseMs: number, now = Date.now(), excludeName?: string): JobRow | undefined {
  const s = statements(db);
  if (excludeName !== undefined) {
    if (!s.anyDueExcept.get({ now, exclude: excludeName })) return undefined;
    return s.claimExcept.get({ owner, leaseUntil: now + leaseMs, now, exclude: excludeName });
  }
  if (!s.anyDue.get({ now })) return undefined;
  return s.claim.get({ owner, leaseUntil: now + leaseMs, now });
}

const owned = (id: number, owner: string) =>
  and(eq(jobs.id, id), eq(jobs.leaseOwner, owner), eq(jobs.status, "running"));

/** Extend the lease; undefined when it was lost. Reports whether cancel was requested. */
export function extendLease(
  db: Db,
  id: number,
  owner: string,
  leaseMs: number,
  now = Date.now(),
): { cancelRequested: boolean } | undefined {
  return statements(db).extend.get({ id, owner, leaseUntil: now + leaseMs });
}

export function updateProgress(
  db: Db,
  id: number,
  owner: string,
  done: number,
  total: number | null | undefined,
  message: string | null | undefined,
): boolean {
  const set: Partial<typeof jobs.$inferInsert> = { progressDone: done, updatedAt: Date.now() };
  if (total !== undefined) set.progressTotal = total;
  if (message !== undefined) set.progressMessage = message;
  return db.update(jobs).set(set).where(owned(id, owner)).run().changes === 1;
}

export function completeJob(db: Db, id: number, owner: string, result: unknown, now = Date.now()): boolean {
  return statements(db).complete.run({ id, owner, now, result: JSON.stringify(result ?? null) }).changes === 1;
}

export function failJob(db: Db, id: number, owner: string, error: string, now = Date.now()): boolean {
  return (
    db
      .update(jobs)
      .set({ status: "failed", error, leaseOwner: null, leaseExpiresAt: null, finishedAt: now, updatedAt: now })
      .where(owned(id, owner))
      .run().changes === 1
  );
}

export function scheduleRetry(db: Db, id: number, owner: string, error: string, runAt: number, now = Date.now()): boolean {
  return (
    db
      .update(jobs)
      .set({ status: "queued", error, runAt, leaseOwner: null, leaseExpiresAt: null, updatedAt: now })
      .where(owned(id, owner))
      .run().changes === 1
  );
}

export function markCancelled(db: Db, id: number, owner: string, now = Date.now()): boolean {
  return (
    db
      .update(jobs)
      .set({ status: "cancelled", leaseOwner: null, leaseExpiresAt: null, finishedAt: now, updatedAt: now })
      .where(owned(id, owner))
      .run().changes === 1
  );
}

/** Graceful shutdown: hand the job back without counting the interrupted attempt. */
export function releaseJob(db: Db, id: number, owner: string, now = Date.now()): boolean {
  return (
    db
      .update(jobs)
      .set({
        status: "queued",
        runAt: now,
        attempts: sql`max(${jobs.attempts} - 1, 0)`,
        leaseOwner: null,
        leaseExpiresAt: null,
        updatedAt: now,
      })
      .where(owned(id, owner))
      .run().changes === 1
  );
}

/**
 * Jobs whose worker stopped heartbeating go back to the queue (or to cancelled/failed
 * when cancel was requested or attempts ran out). Returns how many rows changed.
 */
export function requeueExpiredLeases(db: Db, now = Date.now()): number {
  return db.$client
    .prepare(
      `UPDATE jobs SET
         status = CASE WHEN cancel_requested THEN 'cancelled'
                       WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
         error = CASE WHEN cancel_requested THEN error
                      ELSE 'lease expired: worker stopped responding (attempt ' || attempts || ')' END,
         finished_at = CASE WHEN cancel_requested OR attempts >= max_attempts THEN @now ELSE NULL END,
         run_at = @now, lease_owner = NULL, lease_expires_at = NULL, updated_at = @now
       WHERE status = 'running' AND lease_expires_at < @now`,
    )
    .run({ now }).changes;
}

export function getJob(db: DbOrTx, id: number): JobRow | undefined {
  return db.select().from(jobs).where(eq(jobs.id, id)).get();
}

export function getJobOrThrow(db: DbOrTx, id: number): JobRow {
  const job = getJob(db, id);
  if (!job) throw new NotFoundError(`job ${id} not found`);
  return job;
}

/** Queued jobs cancel at once; running ones get cancel_requested (their signal fires). */
export function requestCancel(db: Db, id: number, now = Date.now()): JobRow {
  return db.transaction(
    (tx) => {
      const job = getJobOrThrow(tx, id);
      if (job.status === "queued") {
        return tx
          .update(jobs)
          .set({ status: "cancelled", cancelRequested: true, finishedAt: now, updatedAt: now })
          .where(eq(jobs.id, id))
          .returning()
          .get();
      }
      if (job.status === "running") {
        return tx
          .update(jobs)
          .set({ cancelRequested: true, updatedAt: now })
          .where(eq(jobs.id, id))
          .returning()
          .get();
      }
      throw new ConflictError(`job ${id} is already ${job.status}`);
    },
    { behavior: "immediate" },
  );
}

/** Failed or cancelled jobs go back to the queue; completed steps are kept (resume). */
export function retryJob(db: Db, id: number, now = Date.now()): JobRow {
  return db.transaction(
    (tx) => {
      const job = getJobOrThrow(tx, id);
      if (job.status !== "failed" && job.status !== "cancelled") {
        throw new ConflictError(`job ${id} is ${job.status}; only failed or cancelled jobs can be retried`);
      }
      return tx
        .update(jobs)
        .set({
          status: "queued",
          attempts: 0,
          runAt: now,
          cancelRequested: false,
          error: null,
          finishedAt: null,
          updatedAt: now,
        })
        .where(eq(jobs.id, id))
        .returning()
        .get();
    },
    { behavior: "immediate" },
  );
}

export function getStep(db: Db, jobId: number, key: string): { output: unknown } | undefined {
  return statements(db).getStep.get({ jobId, key });
}

/** Record a finished step, only while this worker still owns the job. */
export function recordStep(
  db: Db,
  jobId: number,
  owner: string,
  key: string,
  attempt: number,
  workerId: string,
  output: unknown,
): boolean {
  const st = statements(db);
  // better-sqlite3's own transaction: BEGIN IMMEDIATE, so the ownership check and the insert are one unit.
  return db.$client
    .transaction(() => {
      if (!st.ownedCheck.get({ id: jobId, owner })) return false;
      st.insertStep.run({ jobId, key, attempt, workerId, output: JSON.stringify(output ?? null) });
      return true;
    })
    .immediate();
}
