import { connection } from "next/server";
import { getDb } from "@/db/server";
import { ValidationError } from "@/lib/errors/app-error";
import { handleRoute, json, parseIdParam, parseInput, searchParamsObject } from "@/lib/http/respond";
import { requireExperiment } from "@/lib/calibration/analysis";
import { changedGroups } from "@/lib/calibration/annotations";
import { annotationQuerySchema, toAnnotationRequest } from "@/lib/calibration/annotation-query";

/**
 * GET /api/experiments/:id/annotation-changes?iteration=&c=&compare=&compare_c=&estimator=
 * → ChangedGroupsResponse: the groups whose turns change tier, reward or advantage sign
 * between the two configs, most changes first (the iteration diff links to the first).
 */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => {
    const id = parseIdParam((await ctx.params).id);
    const r = toAnnotationRequest(parseInput(annotationQuerySchema, searchParamsObject(req.url)));
    if (!r.compare) throw new ValidationError("give compare (an iteration id) or compare_c", "compare");
    const db = getDb();
    requireExperiment(db, id);
    return json(changedGroups(db, id, { config: r.config, compare: r.compare }));
  });
}
