import { connection } from "next/server";
import { searchUsers } from "@/lib/environment-sources/search";
import { handleRoute, json, parseInput, searchParamsObject } from "@/lib/http/respond";
import { openEnvironment } from "../../open";
import { nonEmpty, userSearchSchema } from "../../schema";

/** GET /api/environments/:id/users?q=&page=&page_size= — id / name / email substring. */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => {
    const q = parseInput(userSearchSchema, nonEmpty(searchParamsObject(req.url)));
    const { env } = openEnvironment((await ctx.params).id);
    return json(searchUsers(env.state, { q: q.q, page: q.page, pageSize: q.page_size }));
  });
}
