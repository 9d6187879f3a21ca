/**
 * `exports.create`: write an experiment export to a file in the data folder (./files.ts) with
 * progress (rollouts read of the experiment's finished rollouts), so a large export never
 * runs in the web server and the experiment page shows a progress bar, then a download link
 * (GET /api/exports/:id/file). A retried attempt starts the file over; a cancelled or failed
 * one leaves no partial file.
 */
import { join } from "node:path";
import { defineJobHandler } from "../jobs/define";
import { PayloadError } from "../jobs/errors";
import { exportsCreateKind } from "../jobs/kinds";
import type { ExportJobResult } from "../jobs/payloads";
import { AppError } from "../errors/app-error";
import { exportExperiment, type ExportStream } from "../experiments/export";
import { ensureExportsDir, exportFileName } from "./files";
import { countExportableRollouts } from "./store";
import { EXPORT_PAGE_GROUPS } from "./schemas";
import { writeExportFile } from "./write-file";

export const exportsCreate = defineJobHandler(exportsCreateKind, async (ctx): Promise<ExportJobResult> => {
  const p = ctx.payload;
  let stream: ExportStream;
  try {
    stream = exportExperiment(ctx.db, p.experiment_id, p.format, {
      requireReadCoverage: p.require_read_coverage,
      iteration: p.iteration,
      config: p.config,
      rlLayout: p.rl_layout,
      pageGroups: EXPORT_PAGE_GROUPS,
    });
  } catch (err) {
    // A missing experiment or a bad config will not get better on a retry.
    if (err instanceof AppError && err.status < 500) throw new PayloadError(err.message, undefined);
    throw err;
  }
  const total = p.format === "tasks" ? null : countExportableRollouts(ctx.db, p.experiment_id);
  const unit = p.format === "tasks" ? "tasks" : "rollouts";
  await ctx.reportProgress(0, total, `writing ${stream.filename}`);
  const file = exportFileName(ctx.job.id, stream.filename);
  const written = await writeExportFile(stream, join(ensureExportsDir(ctx.db), file), {
    signal: ctx.signal,
    atomic: true,
    onProgress: (s) => ctx.reportProgress(s.scanned, total, `${s.scanned} ${unit} read, ${s.rows} rows written`),
  });
  await ctx.reportProgress(written.scanned, total ?? written.scanned, `${written.rows} rows, ${written.bytes} bytes`);
  return { file, filename: stream.filename, content_type: stream.contentType, rows: written.rows, scanned: written.scanned, bytes: written.bytes };
});
