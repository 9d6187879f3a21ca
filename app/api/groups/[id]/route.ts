import { connection } from "next/server";
import { getDb } from "@/db/server";
import { ValidationError } from "@/lib/errors/app-error";
import { handleRoute, json, parseInput, searchParamsObject } from "@/lib/http/respond";
import { getGroupDetail } from "@/lib/experiments/service";
import { getGroupPage, groupPageQuerySchema } from "@/lib/experiments/group-pages";

/**
 * GET /api/groups/:id — the group's sibling rollouts with their messages (side-by-side view).
 * `?siblings=K[&include=S]`: every sibling's summary, the messages of the first K siblings (and of
 * sibling S) and `siblings_page` (the rollout browser asks this way and pages the other siblings'
 * messages from ./messages); without it, every message of every sibling.
 */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => {
    const id = decodeURIComponent((await ctx.params).id);
    if (!/^g-[\w.-]{1,200}$/.test(id)) throw new ValidationError("id must be a group id (g-…)", "id");
    const q = parseInput(groupPageQuerySchema, searchParamsObject(req.url));
    return json(q.siblings === undefined ? getGroupDetail(getDb(), id) : getGroupPage(getDb(), id, q.siblings, q.include ?? null));
  });
}
