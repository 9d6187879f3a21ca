import { connection } from "next/server";
import { getDb } from "@/db/server";
import { handleRoute, json, parseIdParam, parseInput, searchParamsObject } from "@/lib/http/respond";
import { searchQuerySchema } from "@/lib/search/schemas";
import { searchRollouts } from "@/lib/search/search";

/**
 * GET /api/experiments/:id/search?q=&outcome=&termination=&tier=&mismatch=&tool=&w=&b=&steps=&preset=&agent=&user=&iteration=&c=&estimator=&limit=&cursor=
 * Rollouts matching the full-text query and every filter; see lib/search/README.md.
 */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => {
    const id = parseIdParam((await ctx.params).id);
    const q = parseInput(searchQuerySchema, searchParamsObject(req.url));
    return json(searchRollouts(getDb(), id, q));
  });
}
