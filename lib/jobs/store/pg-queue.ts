/**
 * The JobQueue (lib/jobs/queue-backend.ts) on PostgreSQL, for a team server whose workers run
 * on many machines. Two parts, each doing what it is good at:
 *
 * - pg-boss (a maintained Postgres queue, npm) DELIVERS work: every time a job becomes ready to
 *   run (enqueued, retried after a backoff, handed back, its worker vanished) one delivery
 *   ticket `{ jobId }` is sent to the kind's pg-boss queue with the job's priority and run-at
 *   time. Workers anywhere fetch tickets with pg-boss (FOR UPDATE SKIP LOCKED, priority order,
 *   start-after scheduling); a ticket fetched by a worker that dies before claiming expires and
 *   pg-boss delivers it again (at-least-once).
 * - the `jobs` row (the same table as on SQLite) is the job's RECORD: status, lease, attempts,
 *   progress, result, cancel flag, and its completed steps (`job_steps`). A ticket only says
 *   "try to claim job N": the claim is one conditional UPDATE (queued and due → running under a
 *   lease), committed together with the ticket's completion. A stale or duplicate ticket (the
 *   job was cancelled, finished, or claimed through another ticket) claims nothing and is
 *   completed as a no-op, so duplicates are harmless by construction.
 *
 * The lease is the product's own (heartbeat every few hundred ms, expiry in tens of seconds), not
 * pg-boss's expiry: a rollout job can run for hours, and a vanished worker's job must be
 * re-delivered within a lease, not after the longest job could take. requeueExpired() turns an
 * expired lease into queued + a new ticket in one transaction.
 *
 * Queue policy 'short' with the job id as singleton key: at most one waiting ticket per job, so
 * the safety net that re-sends tickets for long-waiting jobs (a ticket archived by retention,
 * say) never piles them up.
 */
import PgBoss from "pg-boss";
import type pg from "pg";
import { createPgPool } from "../../../db/pg/client";
import { fromPgRow } from "../../../db/pg/rows";
import { withPgTransaction } from "../../../db/pg/sqlite-dialect";
import { jobs, type JobRow } from "../../../db/schema";
import { ConflictError, NotFoundError } from "../../errors/app-error";
import type { JobQueue } from "../queue-backend";
import { getJobKind } from "../registry";
import { validateJobPayload } from "../validate";

export interface PgJobQueueOptions {
  /** postgres://… of a database migrated with db/pg/migrate.ts. */
  url: string;
  /** Connections for the jobs table (pg-boss keeps its own small pool). */
  poolSize?: number;
  /**
   * A pool to share (the worker process's, so it holds fewer connections); its owner ends it.
   * Made with createPgPool(url, { synchronousCommit: false }) like the queue's own.
   */
  pool?: pg.Pool;
  /** Postgres schema of pg-boss's tables (default "pgboss"). */
  bossSchema?: string;
  /** How often pg-boss expires stale tickets and archives old ones (default 30 s). */
  maintenanceSeconds?: number;
  log?: (message: string) => void;
  /** How this process's connections show in pg_stat_activity (pg-boss's get "-pgboss" appended). */
  applicationName?: string;
  /** Tests shorten these (defaults: 120 s, 60 s, 30 s; see the constants below). */
  ticketExpireSeconds?: number;
  resendAfterMs?: number;
  resendEveryMs?: number;
}

/** A fetched ticket that is not claimed within this time is delivered again. */
const TICKET_EXPIRE_SECONDS = 120;
/** A queued, due job waiting longer than this gets its ticket re-sent (deduplicated). */
const RESEND_AFTER_MS = 60_000;
const RESEND_EVERY_MS = 30_000;
const RESEND_BATCH = 500;
const MAX_STALE_TICKETS_PER_CLAIM = 16;

/** pg-boss queue of a job kind: `rollouts.run` → `writ__rollouts__run`. */
export function ticketQueueName(kind: string): string {
  return `writ__${kind.replaceAll(".", "__")}`;
}

type Client = pg.PoolClient;

/** pg-boss runs its statements through this when a ticket must commit with our own writes. */
const onClient = (client: Client) => ({
  executeSql: (text: string, values: unknown[]) => client.query(text, values),
});

const toJob = (row: Record<string, unknown>): JobRow => fromPgRow(jobs, row);

export async function createPgJobQueue(options: PgJobQueueOptions): Promise<JobQueue> {
  const log = options.log ?? (() => {});
  const appName = options.applicationName ?? "writ-lab-queue";
  // Queue bookkeeping commits without waiting for fsync (db/pg/client.ts says why that is safe
  // here: a lost claim, heartbeat or completion is repaired by the lease); what a user or a paid
  // step relies on (enqueue, cancel, retry, a completed step) commits durably.
  const ownPool = !options.pool;
  const pool = options.pool ?? createPgPool(options.url, { max: options.poolSize ?? 4, applicationName: appName, synchronousCommit: false });
  const boss = new PgBoss({
    connectionString: options.url,
    schema: options.bossSchema ?? "pgboss",
    max: 2,
    application_name: `${appName}-pgboss`,
    schedule: false,
    maintenanceIntervalSeconds: options.maintenanceSeconds ?? 30,
  });
  boss.on("error", (err: Error) => log(`pg-boss: ${err.message}`));
  await boss.start();

  const createdQueues = new Set<string>();
  async function ensureQueue(kind: string): Promise<string> {
    const name = ticketQueueName(kind);
    if (!createdQueues.has(name)) {
      // Idempotent in pg-boss (ON CONFLICT DO NOTHING), so every process may do it on first use.
      await boss.createQueue(name, {
        name,
        policy: "short",
        retryLimit: 1_000,
        retryDelay: 1,
        retryBackoff: true,
        expireInSeconds: options.ticketExpireSeconds ?? TICKET_EXPIRE_SECONDS,
      });
      createdQueues.add(name);
    }
    return name;
  }

  /** The columns a ticket needs, as the statements below return them (`RETURNING id, name, priority, run_at`). */
  type TicketRow = { id: number; name: string; priority: number; run_at: number };

  async function sendTicket(client: Client | undefined, job: TicketRow) {
    const queue = await ensureQueue(job.name);
    await boss.send(queue, { jobId: job.id }, {
      // pg-boss runs higher numbers first; the product's lower priority runs first.
      priority: -job.priority,
      startAfter: new Date(job.run_at),
      singletonKey: String(job.id),
      ...(client ? { db: onClient(client) } : {}),
    });
  }

  const transaction = <T>(fn: (client: Client) => Promise<T>, durable = false): Promise<T> =>
    withPgTransaction(pool, (_tx, client) => fn(client), { durable });

  async function one(text: string, values: unknown[]): Promise<Record<string, unknown> | undefined> {
    return (await pool.query(text, values)).rows[0] as Record<string, unknown> | undefined;
  }
  async function changed(text: string, values: unknown[]): Promise<boolean> {
    return ((await pool.query(text, values)).rowCount ?? 0) === 1;
  }

  const OWNED = "id = $1 AND lease_owner = $2 AND status = 'running'";

  /** The job's row, locked for the rest of the transaction (404 when there is none). */
  async function lockJob(client: Client, id: number): Promise<JobRow> {
    const row = (await client.query(`SELECT * FROM jobs WHERE id = $1 FOR UPDATE`, [id])).rows[0] as Record<string, unknown> | undefined;
    if (!row) throw new NotFoundError(`job ${id} not found`);
    return toJob(row);
  }

  /**
   * Fetch one ticket of `queue` and claim its job, in ONE transaction on one connection (pg-boss
   * fetches on it too): the ticket is taken, the job claimed and the ticket completed together,
   * or not at all. "empty": no ticket due; "stale": the ticket's job was not claimable (cancelled,
   * finished, claimed through another ticket) and the ticket is done.
   */
  async function claimOne(queue: string, owner: string, leaseMs: number): Promise<JobRow | "empty" | "stale"> {
    return transaction(async (client) => {
      const [ticket] = await boss.fetch<{ jobId?: unknown }>(queue, { batchSize: 1, db: onClient(client) });
      if (!ticket) return "empty";
      const jobId = Number(ticket.data?.jobId);
      const now = Date.now();
      const claimed = Number.isSafeInteger(jobId)
        ? (
            await client.query(
              `UPDATE jobs SET status = 'running', lease_owner = $2, lease_expires_at = $3, attempts = attempts + 1,
                 started_at = coalesce(started_at, $4), updated_at = $4, error = NULL
               WHERE id = $1 AND status = 'queued' AND run_at <= $4 RETURNING *`,
              [jobId, owner, now + leaseMs, now],
            )
          ).rows[0]
        : undefined;
      await boss.complete(queue, ticket.id, claimed ? { claimedBy: owner } : { stale: true }, { db: onClient(client) });
      if (claimed) return toJob(claimed);
      // Queued but not yet due (an early duplicate ticket): keep a ticket for its run-at time.
      const waiting = (await client.query(`SELECT id, name, priority, run_at FROM jobs WHERE id = $1 AND status = 'queued'`, [jobId]))
        .rows[0] as TicketRow | undefined;
      if (waiting) await sendTicket(client, waiting);
      return "stale";
    });
  }

  let lastResend = 0;
  async function resendWaitingTickets(now: number) {
    if (now - lastResend < (options.resendEveryMs ?? RESEND_EVERY_MS)) return;
    lastResend = now;
    const { rows } = await pool.query(
      `SELECT id, name, priority, run_at FROM jobs WHERE status = 'queued' AND run_at < $1 ORDER BY priority, id LIMIT ${RESEND_BATCH}`,
      [now - (options.resendAfterMs ?? RESEND_AFTER_MS)],
    );
    for (const r of rows as TicketRow[]) await sendTicket(undefined, r);
  }

  const queue: JobQueue = {
    backend: "postgres",

    async enqueue(name, payload, opts = {}) {
      const data = validateJobPayload(name, payload);
      const kind = getJobKind(name);
      const now = Date.now();
      return transaction(async (client) => {
        const row = (
          await client.query(
            `INSERT INTO jobs (name, payload, priority, run_at, max_attempts, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING *`,
            [name, JSON.stringify(data), opts.priority ?? 0, opts.runAt ?? now, opts.maxAttempts ?? kind?.maxAttempts ?? 5, now],
          )
        ).rows[0] as Record<string, unknown>;
        const job = toJob(row);
        await sendTicket(client, { id: job.id, name: job.name, priority: job.priority, run_at: job.runAt });
        return job;
      }, true);
    },

    async claim(owner, leaseMs, excludeName, onlyNames) {
      // Kinds with due work, best priority first: pg-boss orders within a queue, this across them.
      const values: unknown[] = [Date.now()];
      const filters: string[] = [];
      if (excludeName !== undefined) filters.push(`AND name <> $${values.push(excludeName)}`);
      if (onlyNames) filters.push(`AND name = ANY($${values.push([...onlyNames])}::text[])`);
      const { rows } = await pool.query(
        `SELECT name, min(priority) AS best FROM jobs WHERE status = 'queued' AND run_at <= $1
         ${filters.join(" ")} GROUP BY name ORDER BY best, name`,
        values,
      );
      for (const { name } of rows as { name: string }[]) {
        const queueName = await ensureQueue(name);
        // One ticket at a time: a ticket fetched but not used would sit active until it expires.
        // Stale tickets (cancelled, finished or already claimed jobs) are skipped, a bounded number.
        for (let i = 0; i < MAX_STALE_TICKETS_PER_CLAIM; i++) {
          const got = await claimOne(queueName, owner, leaseMs);
          if (got === "empty") break;
          if (got !== "stale") return got;
        }
      }
      return undefined;
    },

    async extendLease(id, owner, leaseMs) {
      const row = await one(`UPDATE jobs SET lease_expires_at = $3 WHERE ${OWNED} RETURNING cancel_requested`, [id, owner, Date.now() + leaseMs]);
      return row ? { cancelRequested: Number(row.cancel_requested) === 1 } : undefined;
    },

    async updateProgress(id, owner, done, total, message) {
      const sets = ["progress_done = $3", "updated_at = $4"];
      const values: unknown[] = [id, owner, done, Date.now()];
      if (total !== undefined) sets.push(`progress_total = $${values.push(total)}`);
      if (message !== undefined) sets.push(`progress_message = $${values.push(message)}`);
      return changed(`UPDATE jobs SET ${sets.join(", ")} WHERE ${OWNED}`, values);
    },

    complete: (id, owner, result) =>
      changed(
        `UPDATE jobs SET status = 'succeeded', result = $3, lease_owner = NULL, lease_expires_at = NULL, finished_at = $4,
           updated_at = $4, progress_done = coalesce(progress_total, progress_done) WHERE ${OWNED}`,
        [id, owner, JSON.stringify(result ?? null), Date.now()],
      ),

    fail: (id, owner, error) =>
      changed(
        `UPDATE jobs SET status = 'failed', error = $3, lease_owner = NULL, lease_expires_at = NULL, finished_at = $4, updated_at = $4
         WHERE ${OWNED}`,
        [id, owner, error, Date.now()],
      ),

    scheduleRetry: (id, owner, error, runAt) =>
      transaction(async (client) => {
        const row = (
          await client.query(
            `UPDATE jobs SET status = 'queued', error = $3, run_at = $4, lease_owner = NULL, lease_expires_at = NULL, updated_at = $5
             WHERE ${OWNED} RETURNING id, name, priority, run_at`,
            [id, owner, error, runAt, Date.now()],
          )
        ).rows[0] as TicketRow | undefined;
        if (row) await sendTicket(client, row);
        return Boolean(row);
      }),

    markCancelled: (id, owner) =>
      changed(
        `UPDATE jobs SET status = 'cancelled', lease_owner = NULL, lease_expires_at = NULL, finished_at = $3, updated_at = $3 WHERE ${OWNED}`,
        [id, owner, Date.now()],
      ),

    release: (id, owner) =>
      transaction(async (client) => {
        const now = Date.now();
        const row = (
          await client.query(
            `UPDATE jobs SET status = 'queued', run_at = $3, attempts = greatest(attempts - 1, 0), lease_owner = NULL,
               lease_expires_at = NULL, updated_at = $3 WHERE ${OWNED} RETURNING id, name, priority, run_at`,
            [id, owner, now],
          )
        ).rows[0] as TicketRow | undefined;
        if (row) await sendTicket(client, row);
        return Boolean(row);
      }),

    async requeueExpired() {
      const now = Date.now();
      const count = await transaction(async (client) => {
        const { rows } = await client.query(
          `UPDATE jobs SET
             status = CASE WHEN cancel_requested = 1 THEN 'cancelled'
                           WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
             error = CASE WHEN cancel_requested = 1 THEN error
                          ELSE 'lease expired: worker stopped responding (attempt ' || attempts || ')' END,
             finished_at = CASE WHEN cancel_requested = 1 OR attempts >= max_attempts THEN $1 ELSE NULL END,
             run_at = $1, lease_owner = NULL, lease_expires_at = NULL, updated_at = $1
           WHERE status = 'running' AND lease_expires_at < $1
           RETURNING id, name, priority, run_at, status`,
          [now],
        );
        for (const r of rows as { id: number; name: string; priority: number; run_at: number; status: string }[]) {
          if (r.status === "queued") await sendTicket(client, r);
        }
        return rows.length;
      });
      await resendWaitingTickets(now);
      return count;
    },

    async get(id) {
      const row = await one(`SELECT * FROM jobs WHERE id = $1`, [id]);
      return row ? toJob(row) : undefined;
    },

    requestCancel: (id) =>
      transaction(async (client) => {
        const now = Date.now();
        const job = await lockJob(client, id);
        // A queued job's ticket stays behind; fetched, it finds the job cancelled and claims nothing.
        if (job.status === "queued") {
          return toJob(
            (await client.query(`UPDATE jobs SET status = 'cancelled', cancel_requested = 1, finished_at = $2, updated_at = $2 WHERE id = $1 RETURNING *`, [id, now]))
              .rows[0] as Record<string, unknown>,
          );
        }
        if (job.status === "running") {
          return toJob(
            (await client.query(`UPDATE jobs SET cancel_requested = 1, updated_at = $2 WHERE id = $1 RETURNING *`, [id, now])).rows[0] as Record<string, unknown>,
          );
        }
        throw new ConflictError(`job ${id} is already ${job.status}`);
      }, true),

    retry: (id) =>
      transaction(async (client) => {
        const now = Date.now();
        const job = await lockJob(client, id);
        if (job.status !== "failed" && job.status !== "cancelled") {
          throw new ConflictError(`job ${id} is ${job.status}; only failed or cancelled jobs can be retried`);
        }
        const updated = toJob(
          (
            await client.query(
              `UPDATE jobs SET status = 'queued', attempts = 0, run_at = $2, cancel_requested = 0, error = NULL, finished_at = NULL,
                 updated_at = $2 WHERE id = $1 RETURNING *`,
              [id, now],
            )
          ).rows[0] as Record<string, unknown>,
        );
        await sendTicket(client, { id: updated.id, name: updated.name, priority: updated.priority, run_at: updated.runAt });
        return updated;
      }, true),

    async getStep(jobId, key) {
      const row = await one(`SELECT output FROM job_steps WHERE job_id = $1 AND key = $2`, [jobId, key]);
      return row ? { output: row.output === null ? null : JSON.parse(String(row.output)) } : undefined;
    },

    recordStep: (jobId, owner, key, attempt, workerId, output) =>
      transaction(async (client) => {
        // FOR UPDATE: the lease cannot move (expiry sweep, another claim) between check and insert.
        const owned = await client.query(`SELECT id FROM jobs WHERE ${OWNED} FOR UPDATE`, [jobId, owner]);
        if (owned.rowCount !== 1) return false;
        await client.query(
          `INSERT INTO job_steps (job_id, key, attempt, worker_id, output, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
          [jobId, key, attempt, workerId, JSON.stringify(output ?? null), Date.now()],
        );
        return true;
      }, true),

    async close() {
      await boss.stop({ graceful: false, wait: true, close: true }).catch(() => {});
      if (ownPool) await pool.end().catch(() => {});
    },
  };
  return queue;
}
