/**
 * Remove a finished export: its file in the data folder and its job row (exports can be
 * hundreds of MB; nothing else deletes them). A queued or running export is cancelled
 * through POST /api/jobs/:id/cancel first (409 here), so a worker never writes to a file
 * that was just removed.
 */
import { rm } from "node:fs/promises";
import type { Db } from "../../db/client";
import { ConflictError, NotFoundError } from "../errors/app-error";
import { exportFilePath } from "./files";
import type { ExportJobResult } from "../jobs/payloads";
import { deleteExportJob, getExportJob } from "./store";

export async function deleteExport(db: Db, id: number): Promise<{ deleted: number }> {
  const job = getExportJob(db, id);
  if (!job) throw new NotFoundError(`export ${id} not found`);
  if (job.status === "queued" || job.status === "running") {
    throw new ConflictError(`export ${id} is ${job.status}: cancel it first (POST /api/jobs/${id}/cancel)`);
  }
  const file = (job.result as ExportJobResult | null)?.file;
  const path = file ? exportFilePath(db, file) : null;
  if (path) await rm(path, { force: true });
  deleteExportJob(db, id);
  return { deleted: id };
}
