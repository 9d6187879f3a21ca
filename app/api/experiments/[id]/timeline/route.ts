import { connection } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/server";
import { handleRoute, json, parseIdParam, parseInput, searchParamsObject } from "@/lib/http/respond";
import { requireExperiment } from "@/lib/calibration/analysis";
import { resolveConfig } from "@/lib/calibration/request";
import { runTimeline } from "@/lib/calibration/timeline-service";

const querySchema = z.object({
  /** A config hash (or absent: the experiment's latest iteration). */
  config: z.string().optional(),
  estimator: z.enum(["grpo", "mt_grpo", "gtpo", "hybrid"]).optional(),
  /** Steps per point; absent or 0 = automatic (at most 250 points). */
  bucket: z.coerce.number().int().min(0).max(1_000_000).optional(),
});

/**
 * GET /api/experiments/:id/timeline?config=&estimator=&bucket= → TimelineResponse
 * (lib/calibration/timeline-service.ts): per training step, pass rate, per-tier rho with CI and
 * mean advantage, mismatches, zero-variance groups, dead turns, sign agreement with the trainer.
 */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => {
    const id = parseIdParam((await ctx.params).id);
    const q = parseInput(querySchema, searchParamsObject(req.url));
    const db = getDb();
    requireExperiment(db, id);
    const config = resolveConfig(db, id, q.config);
    return json(runTimeline(db, id, { config, estimator: q.estimator, bucket: q.bucket || undefined }));
  });
}
