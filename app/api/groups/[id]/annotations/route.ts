import { connection } from "next/server";
import { getDb } from "@/db/server";
import { ValidationError } from "@/lib/errors/app-error";
import { handleRoute, json, parseInput, searchParamsObject } from "@/lib/http/respond";
import { groupAnnotations } from "@/lib/calibration/annotations";
import { annotationQuerySchema, toAnnotationRequest } from "@/lib/calibration/annotation-query";

/**
 * GET /api/groups/:id/annotations?iteration=ID|c=DIFF&estimator=&compare=ID&compare_c=DIFF
 * → GroupAnnotationsResponse: tier, reward, advantage and reason of every agent turn of the
 * group's rollouts (the RL export's numbers), and the turns that change under `compare`.
 */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => {
    const id = decodeURIComponent((await ctx.params).id);
    if (!/^g-[\w.-]{1,200}$/.test(id)) throw new ValidationError("id must be a group id (g-…)", "id");
    const q = parseInput(annotationQuerySchema, searchParamsObject(req.url));
    return json(groupAnnotations(getDb(), id, toAnnotationRequest(q)));
  });
}
