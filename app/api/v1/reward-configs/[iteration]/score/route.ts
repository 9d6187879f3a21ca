import { getDb } from "@/db/server";
import { handleRoute, parseIdParam } from "@/lib/http/respond";
import { readLimitedJson, scoreRequest } from "@/lib/reward-serving/request";
import { groupIngester } from "@/lib/reward-serving/ingest";

/**
 * POST /api/v1/reward-configs/:iteration/score (`:iteration` an id or `latest`; `?experiment=ID`
 * scopes `latest`) → per-trajectory tiers, rewards and advantages under that saved iteration.
 * Answers carry an ETag (iteration content hash + inputs); If-None-Match → 304.
 * POST only, so never prerendered: no connection() call needed.
 */
export async function POST(req: Request, ctx: { params: Promise<{ iteration: string }> }) {
  return handleRoute(async () => {
    const { iteration } = await ctx.params;
    const exp = new URL(req.url).searchParams.get("experiment");
    const body = await readLimitedJson(req);
    const out = scoreRequest(getDb(), iteration, body, {
      ifNoneMatch: req.headers.get("if-none-match"),
      experimentId: exp === null ? undefined : parseIdParam(exp, "experiment"),
      ingest: groupIngester(),
    });
    const headers = { etag: out.etag, "cache-control": "private, max-age=0, must-revalidate" };
    if (out.status === 304) return new Response(null, { status: 304, headers });
    return new Response(out.body, { status: 200, headers: { ...headers, "content-type": "application/json" } });
  });
}
