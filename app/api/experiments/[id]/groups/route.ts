import { connection } from "next/server";
import { getDb } from "@/db/server";
import { handleRoute, json, parseIdParam, parseInput, searchParamsObject } from "@/lib/http/respond";
import { listGroupsQuerySchema } from "@/lib/experiments/schemas";
import { listGroupsResponse } from "@/lib/experiments/service";

/** GET /api/experiments/:id/groups?limit=&cursor=&task=&outcome=&w=&b=&b_total=&behavior=&termination= */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => {
    const id = parseIdParam((await ctx.params).id);
    const q = parseInput(listGroupsQuerySchema, searchParamsObject(req.url));
    return json(listGroupsResponse(getDb(), id, q));
  });
}
