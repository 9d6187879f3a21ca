/** An experiment's status as the API shows it (present.ts), from its row and its job's. */
import type { ExperimentRow, ExperimentStatus, JobRow } from "../../db/schema";

/**
 * The status to show: a job that ended without the handler recording it (lease expired
 * with cancel requested, attempts exhausted) decides over a stale "running".
 */
export function effectiveStatus(row: ExperimentRow, job: JobRow | null): { status: ExperimentStatus; error: string | null } {
  if (job && (row.status === "queued" || row.status === "running")) {
    if (job.status === "failed") return { status: "failed", error: row.error ?? job.error };
    if (job.status === "cancelled") return { status: "cancelled", error: row.error };
    if (job.status === "succeeded" && row.rolloutsDone >= row.rolloutsTotal) return { status: "completed", error: row.error };
  }
  return { status: row.status, error: row.error };
}
