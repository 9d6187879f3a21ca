/**
 * The jobs domain's store for the worker registry (the `workers` table): a worker process
 * registers on start, rewrites its row with every heartbeat (state, counters, rates from
 * ../worker-stats.ts) and marks it stopped on a clean shutdown; GET /api/workers reads the
 * pool through listWorkersOverview. Written once for both backends (db/any-db.ts): the same
 * queries run on better-sqlite3 and, through the SQLite-dialect proxy, on PostgreSQL.
 */
import { desc, eq, gte, inArray, lt } from "drizzle-orm";
import type { AnyDb } from "../../../db/any-db";
import { WORKER_LIVE_WINDOW_MS } from "../../../db/queries/workers";
import { experiments, jobs, workers, type WorkerRow } from "../../../db/schema";
import type { WorkerStatsSnapshot } from "../worker-stats";
import { buildWorkersOverview, payloadExperimentId, type WorkersOverview } from "../workers-view";

/** Rows of workers silent for a day are history nobody reads; a starting worker deletes them. */
export const WORKER_ROW_RETENTION_MS = 86_400_000;

export interface WorkerRegistration {
  id: string;
  pid: number;
  host: string;
  concurrency: number;
  version: string | null;
  nodeVersion: string | null;
}

export async function registerWorker(db: AnyDb, worker: WorkerRegistration, now = Date.now()): Promise<void> {
  await db.delete(workers).where(lt(workers.heartbeatAt, now - WORKER_ROW_RETENTION_MS)).run();
  await db
    .insert(workers)
    .values({ ...worker, heartbeatAt: now, status: "running" })
    .onConflictDoUpdate({ target: workers.id, set: { heartbeatAt: now, status: "running" } })
    .run();
}

export interface WorkerHeartbeat extends WorkerStatsSnapshot {
  running: number;
  status: WorkerRow["status"];
}

export async function recordWorkerHeartbeat(db: AnyDb, id: string, beat: WorkerHeartbeat, now = Date.now()): Promise<void> {
  await db.update(workers).set({ ...beat, heartbeatAt: now }).where(eq(workers.id, id)).run();
}

export async function getWorker(db: AnyDb, id: string): Promise<WorkerRow | undefined> {
  return await db.select().from(workers).where(eq(workers.id, id)).get();
}

export interface ListWorkersOptions {
  /** Workers heard from within this long are listed, whatever their state (live ones always are). */
  sinceMs: number;
}

/** The pool by host, with every listed worker's running jobs (GET /api/workers). */
export async function listWorkersOverview(db: AnyDb, { sinceMs }: ListWorkersOptions, now = Date.now()): Promise<WorkersOverview> {
  const rows = await db
    .select()
    .from(workers)
    .where(gte(workers.heartbeatAt, now - Math.max(sinceMs, WORKER_LIVE_WINDOW_MS)))
    .orderBy(desc(workers.heartbeatAt))
    .all();
  // Running jobs are few (at most the pool's slots); their lease owner names their worker.
  const runningJobs = await db
    .select({
      id: jobs.id,
      name: jobs.name,
      payload: jobs.payload,
      leaseOwner: jobs.leaseOwner,
      progressDone: jobs.progressDone,
      progressTotal: jobs.progressTotal,
      progressMessage: jobs.progressMessage,
      startedAt: jobs.startedAt,
    })
    .from(jobs)
    .where(eq(jobs.status, "running"))
    .all();
  const experimentIds = [...new Set(runningJobs.map((j) => payloadExperimentId(j.payload)).filter((id) => id !== undefined))];
  const named = experimentIds.length
    ? await db.select({ id: experiments.id, name: experiments.name }).from(experiments).where(inArray(experiments.id, experimentIds)).all()
    : [];
  const experimentNames = new Map(named.map((e) => [e.id, e.name] as const));
  return buildWorkersOverview({ workers: rows, runningJobs, experimentNames, now, staleAfterMs: WORKER_LIVE_WINDOW_MS });
}
