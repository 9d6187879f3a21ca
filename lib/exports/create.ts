/**
 * Queue an export job for POST /api/exports. Everything that can be checked now is (the
 * experiment exists, the rl config parses, the iteration exists) so a bad request is a 4xx
 * naming the field, not a failed job. The rl config is pinned at this moment: a hash becomes
 * the inline config, "latest iteration" becomes that iteration's id.
 */
import type { Db } from "../../db/client";
import { resolveConfig } from "../calibration/request";
import { getIteration, latestIteration } from "../calibration/iterations";
import { NotFoundError } from "../errors/app-error";
import { enqueueJob } from "../jobs/store/enqueue";
import type { JobRow } from "../../db/schema";
import { getExperimentRow } from "../experiments/store/experiments";
import { EXPORT_JOB_NAME } from "./schemas";
import type { CreateExportBody, ExportJobPayload } from "./schemas";

export function createExport(db: Db, body: CreateExportBody): JobRow {
  const exp = getExperimentRow(db, body.experiment_id);
  if (!exp) throw new NotFoundError(`experiment ${body.experiment_id} not found`);
  const payload: ExportJobPayload = {
    experiment_id: exp.id,
    format: body.format,
    rl_layout: body.rl_layout,
    require_read_coverage: body.require_read_coverage,
  };
  if (body.format === "rl") {
    if (body.iteration !== undefined) payload.iteration = getIteration(db, body.iteration).id;
    else if (body.config !== undefined) payload.config = { ...resolveConfig(db, exp.id, body.config) };
    else payload.iteration = latestIteration(db, exp.id).id;
  }
  return enqueueJob(db, EXPORT_JOB_NAME, payload);
}
