import { connection } from "next/server";
import { getDb } from "@/db/server";
import { handleRoute, json, parseIdParam, parseInput } from "@/lib/http/respond";
import { requireExperiment, runAnalysisParallel } from "@/lib/calibration/analysis";
import { readBody, resolveConfig } from "@/lib/calibration/request";
import { analysisBodySchema } from "@/lib/calibration/schemas";

/**
 * POST /api/experiments/:id/analysis {config?, slice?, include?, turns_limit?} → AnalysisResponse
 * (lib/calibration/api-types.ts). A bad config is a 400 naming the field ("config.ddof"). The
 * estimators section is split with the analysis thread when there is one (lib/calibration/estimator-thread).
 */
export async function POST(req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => {
    const id = parseIdParam((await ctx.params).id);
    const body = parseInput(analysisBodySchema, await readBody(req));
    const db = getDb();
    requireExperiment(db, id);
    const config = resolveConfig(db, id, body.config);
    return json(await runAnalysisParallel(db, id, { config, slice: body.slice, include: body.include, turnsLimit: body.turns_limit }));
  });
}
