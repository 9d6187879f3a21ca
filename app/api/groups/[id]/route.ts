import { connection } from "next/server";
import { getDb } from "@/db/server";
import { ValidationError } from "@/lib/http/errors";
import { handleRoute, json, parseInput, searchParamsObject } from "@/lib/http/respond";
import { getGroupDetail } from "@/lib/experiments/service";
import { getGroupPage, groupPageQuerySchema } from "@/lib/experiments/group-pages";

/**
 * GET /api/groups/:id — the group's sibling rollouts with their messages (side-by-side view).
 * `?turns=N`: every sibling's summary with only its agent turns 0..N and `turns_page` (the rollout
 * browser asks this way and pages further turns from ./turns); without it, every message.
 */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => {
    const id = decodeURIComponent((await ctx.params).id);
    if (!/^g-[\w.-]{1,200}$/.test(id)) throw new ValidationError("id must be a group id (g-…)", "id");
    const q = parseInput(groupPageQuerySchema, searchParamsObject(req.url));
    return json(q.turns === undefined ? getGroupDetail(getDb(), id) : getGroupPage(getDb(), id, q.turns));
  });
}
