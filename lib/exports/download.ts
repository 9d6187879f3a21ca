/** A finished export job's file as a web stream (read from disk with back-pressure, never whole into memory). */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import type { Db } from "../../db/client";
import { ConflictError, NotFoundError } from "../errors/app-error";
import type { ExportJobResult } from "../jobs/payloads";
import { exportFilePath } from "./files";
import { getExportJob } from "./store";

export async function openExportFile(db: Db, id: number): Promise<{ body: ReadableStream<Uint8Array>; size: number; filename: string; contentType: string }> {
  const job = getExportJob(db, id);
  if (!job) throw new NotFoundError(`export ${id} not found`);
  if (job.status !== "succeeded") {
    const where = job.progressTotal ? ` (${job.progressDone} of ${job.progressTotal})` : "";
    throw new ConflictError(`export ${id} is ${job.status}${where}; the file is ready when it has succeeded`);
  }
  const result = job.result as ExportJobResult | null;
  const path = result ? exportFilePath(db, result.file) : null;
  const info = path ? await stat(path).catch(() => null) : null;
  if (!path || !info || !result) throw new NotFoundError(`the file of export ${id} is gone from the data folder; export again`);
  const body = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
  return { body, size: info.size, filename: result.filename, contentType: result.content_type };
}
