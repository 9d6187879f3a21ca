import { connection } from "next/server";
import { getDb } from "@/db/server";
import { ValidationError } from "@/lib/http/errors";
import { handleRoute, json, parseInput, searchParamsObject } from "@/lib/http/respond";
import { getGroupTurns, groupTurnsQuerySchema } from "@/lib/experiments/group-pages";

/** GET /api/groups/:id/turns?from=A&to=B → GroupTurnsResponse: agent turns A..B of every sibling (the rollout browser's next page). */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => {
    const id = decodeURIComponent((await ctx.params).id);
    if (!/^g-[\w.-]{1,200}$/.test(id)) throw new ValidationError("id must be a group id (g-…)", "id");
    const q = parseInput(groupTurnsQuerySchema, searchParamsObject(req.url));
    return json(getGroupTurns(getDb(), id, q.from, q.to));
  });
}
