/**
 * Every job kind's payload schema (zod), kept light: the API validates an enqueue with these
 * without loading any job's implementation (the handlers are registered by the worker,
 * workers/job-handlers.ts). Types derive from the schemas.
 */
import { z } from "zod";
import type { ExportFormatName } from "../experiments/export";
import { RL_LAYOUTS } from "../interchange/rl";
import { synthesisConfigSchema } from "../synthesis/config";

/** Upper bound of one demo.sleep job's total sleep (steps × stepMs). */
export const DEMO_SLEEP_MAX_TOTAL_MS = 10 * 60_000;

// A demo must not hold a worker slot for days (10,000 × 60 s was ~7 days): at most 10 minutes in all.
export const demoSleepPayloadSchema = z
  .object({
    steps: z.number().int().min(1).max(10_000),
    stepMs: z.number().int().min(0).max(60_000),
  })
  .refine((p) => p.steps * p.stepMs <= DEMO_SLEEP_MAX_TOTAL_MS, {
    message: `steps × stepMs must be at most ${DEMO_SLEEP_MAX_TOTAL_MS} ms (10 minutes)`,
    path: ["stepMs"],
  });

export const demoNoopPayloadSchema = z.object({ tag: z.string().max(200).optional() });

export const demoFailPayloadSchema = z.object({
  retryable: z.boolean(),
  failTimes: z.number().int().min(0).max(100).default(1),
});

export const rolloutsRunPayloadSchema = z.object({ experiment_id: z.number().int().positive() });
export type RolloutsRunPayload = z.infer<typeof rolloutsRunPayloadSchema>;

export const synthesisJobPayloadSchema = z.object({
  task_set_id: z.number().int().positive(),
  /** For the Jobs page; the id is what counts. */
  task_set_name: z.string().max(200).optional(),
  /** null/absent: the generated state of config.state_seed (default seed). */
  environment_id: z.number().int().positive().nullable().optional(),
  config: synthesisConfigSchema,
});
export type SynthesisJobPayload = z.infer<typeof synthesisJobPayloadSchema>;

/**
 * The export formats (lib/experiments/export.ts EXPORT_FORMATS), listed here because jobs sit
 * below experiments; the two checks below fail to compile if the lists ever differ.
 */
export const EXPORT_JOB_FORMATS = ["jsonl", "tau2", "sft", "tasks", "rl"] as const;
type ExportJobFormat = (typeof EXPORT_JOB_FORMATS)[number];
const sameFormatsHere: ExportJobFormat extends ExportFormatName ? true : never = true;
const sameFormatsThere: ExportFormatName extends ExportJobFormat ? true : never = true;
void sameFormatsHere;
void sameFormatsThere;

/** The exports.create payload: the rl config already resolved to an inline object (a hash may be forgotten later). */
export const exportJobPayloadSchema = z.object({
  experiment_id: z.number().int().positive(),
  format: z.enum(EXPORT_JOB_FORMATS),
  rl_layout: z.enum(RL_LAYOUTS).default("compact"),
  iteration: z.number().int().positive().optional(),
  config: z.record(z.string(), z.unknown()).optional(),
  require_read_coverage: z.boolean().default(false),
});

/** What a finished exports.create job stores as its result (read by the download and delete routes). */
export interface ExportJobResult {
  file: string;
  filename: string;
  content_type: string;
  rows: number;
  scanned: number;
  bytes: number;
}
