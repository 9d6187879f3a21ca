/** Export jobs as the API shows them (a job row of `exports.create` plus its file), and counts for progress. */
import { and, desc, eq, ne, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { jobs, rollouts, type JobRow } from "../../db/schema";
import type { ExportJobResult } from "./job";
import { exportJobPayloadSchema } from "./schemas";

export const EXPORT_JOB_NAME = "exports.create";

/** Rollouts an export reads (every finished one): the progress bar's total. */
export function countExportableRollouts(db: Db, experimentId: number): number {
  return db
    .select({ n: sql<number>`count(*)` })
    .from(rollouts)
    .where(and(eq(rollouts.experimentId, experimentId), ne(rollouts.status, "running")))
    .get()!.n;
}

export function publicExport(job: JobRow) {
  const payload = exportJobPayloadSchema.safeParse(job.payload);
  const result = job.status === "succeeded" ? (job.result as ExportJobResult | null) : null;
  return {
    id: job.id,
    experiment_id: payload.success ? payload.data.experiment_id : null,
    format: payload.success ? payload.data.format : null,
    rl_layout: payload.success && payload.data.format === "rl" ? payload.data.rl_layout : null,
    iteration: payload.success ? (payload.data.iteration ?? null) : null,
    status: job.status,
    progress: { done: job.progressDone, total: job.progressTotal, message: job.progressMessage },
    error: job.error,
    created_at: job.createdAt,
    finished_at: job.finishedAt,
    filename: result?.filename ?? null,
    rows: result?.rows ?? null,
    bytes: result?.bytes ?? null,
    download_url: result ? `/api/exports/${job.id}/file` : null,
  };
}
export type PublicExport = ReturnType<typeof publicExport>;

export function getExportJob(db: Db, id: number): JobRow | undefined {
  return db.select().from(jobs).where(and(eq(jobs.id, id), eq(jobs.name, EXPORT_JOB_NAME))).get();
}

/** An experiment's export jobs, newest first. */
export function listExportJobs(db: Db, experimentId: number, limit: number): JobRow[] {
  return db
    .select()
    .from(jobs)
    .where(and(eq(jobs.name, EXPORT_JOB_NAME), sql`json_extract(${jobs.payload}, '$.experiment_id') = ${experimentId}`))
    .orderBy(desc(jobs.id))
    .limit(limit)
    .all();
}
