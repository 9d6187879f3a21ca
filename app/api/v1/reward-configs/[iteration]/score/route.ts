import { handleScoringRoute } from "@/lib/reward-serving/route";

/**
 * POST /api/v1/reward-configs/:iteration/score (`:iteration` an id or `latest`; `?experiment=ID`
 * scopes `latest`) → per-trajectory tiers, rewards and advantages under that saved iteration
 * (lib/reward-serving). Answers carry an ETag (iteration content hash + inputs); If-None-Match
 * → 304. POST only, so never prerendered: no connection() call needed.
 */
export async function POST(req: Request, ctx: { params: Promise<{ iteration: string }> }) {
  return handleScoringRoute("score", req, ctx.params);
}
