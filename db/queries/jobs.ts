/**
 * Read side of the job queue for the UI, the API and the CLI (writes live in the JobQueue,
 * lib/jobs/queue-backend.ts). Written once for both backends (db/any-db.ts).
 */
import { and, desc, eq, lt, sql, type SQL } from "drizzle-orm";
import type { AnyDb } from "../any-db";
import { jobs, jobStatuses, type JobRow, type JobStatus } from "../schema";

export interface ListJobsOptions {
  status?: JobStatus;
  name?: string;
  limit?: number;
  /** Keyset pagination: jobs with id < cursor (newest first). */
  cursor?: number;
}

export interface JobPage {
  jobs: JobRow[];
  nextCursor: number | null;
}

export async function listJobs(db: AnyDb, options: ListJobsOptions = {}): Promise<JobPage> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const where: SQL[] = [];
  if (options.status) where.push(eq(jobs.status, options.status));
  if (options.name) where.push(eq(jobs.name, options.name));
  if (options.cursor) where.push(lt(jobs.id, options.cursor));
  const rows = await db
    .select()
    .from(jobs)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(jobs.id))
    .limit(limit + 1)
    .all();
  const page = rows.slice(0, limit);
  return { jobs: page, nextCursor: rows.length > limit ? page[page.length - 1].id : null };
}

export type JobCounts = Record<JobStatus, number>;

export async function countJobsByStatus(db: AnyDb): Promise<JobCounts> {
  const counts = Object.fromEntries(jobStatuses.map((s) => [s, 0])) as JobCounts;
  const rows = await db
    .select({ status: jobs.status, n: sql<number>`count(*)`.mapWith(Number) })
    .from(jobs)
    .groupBy(jobs.status)
    .all();
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}

/** The JSON shape routes and the CLI return for a job. */
export function publicJob(job: JobRow) {
  const durationMs = job.startedAt ? (job.finishedAt ?? Date.now()) - job.startedAt : null;
  return {
    id: job.id,
    name: job.name,
    status: job.status,
    payload: job.payload,
    priority: job.priority,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    runAt: job.runAt,
    cancelRequested: job.cancelRequested,
    progress: { done: job.progressDone, total: job.progressTotal, message: job.progressMessage },
    result: job.result ?? null,
    error: job.error,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    durationMs,
  };
}
export type PublicJob = ReturnType<typeof publicJob>;
