/** zod schemas of the calibration routes' bodies and queries (types in ./api-types). */
import { z } from "zod";
import { parseStepRange } from "../analysis/timeline-steps";
import { isStorablePagePath } from "../http/same-origin-path";

const num = z.number().int();
const numOrList = z.union([num, z.array(num).min(1)]);
const strOrList = z.union([z.string(), z.array(z.string()).min(1)]);

export const sliceSchema = z.strictObject({
  w: numOrList.optional(),
  b: numOrList.optional(),
  behavior: strOrList.optional(),
  /** Training steps [from, to], inclusive (training runs). */
  steps: z
    .tuple([z.number().int().min(0), z.number().int().min(0)])
    .refine(([a, b]) => a <= b, "from must be ≤ to")
    .optional(),
});

export const analysisSections = ["turns", "estimators", "cells", "flips", "heatmap", "distribution"] as const;

export const analysisBodySchema = z.strictObject({
  config: z.unknown().optional(),
  slice: sliceSchema.optional(),
  include: z.array(z.enum(analysisSections)).optional(),
  turns_limit: z.number().int().min(0).max(100_000).optional(),
});

const intParam = (min: number) => z.coerce.number().int().min(min);
const listParam = z
  .string()
  .transform((s) => s.split(",").map((x) => Number(x)))
  .refine((l) => l.every(Number.isInteger), "must be integers (comma-separated)");

export const drillQuerySchema = z.object({
  tier: z.enum(["gold", "soft", "read", "state", "message", "error", "duplicate"]).optional(),
  position: intParam(0).optional(),
  position_pooled: z.enum(["0", "1", "true", "false"]).optional(),
  cell: z
    .string()
    .regex(/^-?\d+:-?\d+$/, 'must be "W:B"')
    .transform((s) => {
      const [w, b] = s.split(":").map(Number);
      return { w, b };
    })
    .optional(),
  config: z.string().optional(),
  w: listParam.optional(),
  b: listParam.optional(),
  behavior: z
    .string()
    .transform((s) => s.split(",").map((x) => x.trim()))
    .refine((l) => l.every((x) => x.length > 0), "must be behaviour names (comma-separated)")
    .optional(),
  /** Training steps "a-b" (inclusive) or "a". */
  steps: z
    .string()
    .transform((t, ctx) => {
      const r = parseStepRange(t);
      if (!r) ctx.addIssue({ code: "custom", message: 'must be "a-b" with a ≤ b (training steps)' });
      return r ?? ([0, 0] as [number, number]);
    })
    .optional(),
  misaligned_only: z.enum(["0", "1", "true", "false"]).optional(),
  limit: intParam(1).max(500).default(50),
  offset: intParam(0).default(0),
});

export const createIterationSchema = z.strictObject({
  experiment_id: z.number().int().positive(),
  parent_id: z.number().int().positive().nullable().optional(),
  config: z.unknown(),
  note: z.string().max(2000).optional(),
});

export const listIterationsQuerySchema = z.object({ experiment_id: intParam(1) });
export const diffQuerySchema = z.object({ a: intParam(1), b: intParam(1) });
export const evaluateSchema = z.strictObject({ experiment_id: z.number().int().positive() });

export const createViewSchema = z.strictObject({
  path: z
    .string()
    .min(1)
    .max(2000)
    .regex(/^\/(?!\/)[^?#\s]*$/, 'must be a same-origin path starting with "/" (no query, no "//")')
    // The browser's reading, not the regex's: "/\\evil.example" is the host evil.example.
    .refine(isStorablePagePath, 'must be a same-origin path in normal form (no "\\", "//", "." or ".." segments)'),
  state: z.record(z.string(), z.unknown()).default({}),
});
