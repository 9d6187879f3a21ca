/** Export requests (POST /api/exports body, the exports.create job payload); zod once at the boundary. */
import { z } from "zod";
import { EXPORT_FORMATS } from "../experiments/export";
import { RL_LAYOUTS } from "../interchange/rl";

/** The job kind of an export (lib/exports/job.ts defines it). */
export const EXPORT_JOB_NAME = "exports.create";

/** Groups read per db page while streaming: small pages keep each synchronous read short. */
export const EXPORT_PAGE_GROUPS = 16;

export const rlLayoutSchema = z.enum(RL_LAYOUTS).default("compact");

/** POST /api/exports. `config` (rl): a reward-config hash or an inline config; neither = latest iteration. */
export const createExportBodySchema = z.strictObject({
  experiment_id: z.number().int().positive(),
  format: z.enum(EXPORT_FORMATS),
  rl_layout: rlLayoutSchema,
  iteration: z.number().int().positive().optional(),
  config: z.union([z.string().max(20_000), z.record(z.string(), z.unknown())]).optional(),
  require_read_coverage: z.boolean().default(false),
});
export type CreateExportBody = z.infer<typeof createExportBodySchema>;

/** The job's payload: the rl config already resolved to an inline object (a hash may be forgotten later). */
export const exportJobPayloadSchema = z.object({
  experiment_id: z.number().int().positive(),
  format: z.enum(EXPORT_FORMATS),
  rl_layout: rlLayoutSchema,
  iteration: z.number().int().positive().optional(),
  config: z.record(z.string(), z.unknown()).optional(),
  require_read_coverage: z.boolean().default(false),
});
export type ExportJobPayload = z.infer<typeof exportJobPayloadSchema>;

export const listExportsQuerySchema = z.object({
  experiment_id: z.coerce.number().int().positive(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
