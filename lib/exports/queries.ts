/**
 * Export jobs as the API shows them (a job row of `exports.create` plus its file). The reads
 * live in the domain's store (./store.ts) and are re-exported here for the routes.
 */
import type { JobRow } from "../../db/schema";
import type { ExportJobResult } from "../jobs/payloads";
import { exportJobPayloadSchema } from "./schemas";

export { EXPORT_JOB_NAME } from "./schemas";
export { countExportableRollouts, getExportJob, listExportJobs } from "./store";

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
