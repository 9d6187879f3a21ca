import { connection } from "next/server";
import { getDb } from "@/db/server";
import { ValidationError } from "@/lib/errors/app-error";
import { handleRoute, json, parseInput, searchParamsObject } from "@/lib/http/respond";
import { rolloutAnnotations } from "@/lib/calibration/annotations";
import { annotationQuerySchema, toAnnotationRequest } from "@/lib/calibration/annotation-query";

/** GET /api/rollouts/:id/annotations?… → the group annotations (same query) narrowed to this rollout. */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => {
    const id = decodeURIComponent((await ctx.params).id);
    if (!/^r-[\w.-]{1,200}$/.test(id)) throw new ValidationError("id must be a rollout id (r-…)", "id");
    const q = parseInput(annotationQuerySchema, searchParamsObject(req.url));
    return json(rolloutAnnotations(getDb(), id, toAnnotationRequest(q)));
  });
}
