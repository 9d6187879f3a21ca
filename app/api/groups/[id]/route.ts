import { connection } from "next/server";
import { getDb } from "@/db/server";
import { ValidationError } from "@/lib/http/errors";
import { handleRoute, json } from "@/lib/http/respond";
import { getGroupDetail } from "@/lib/experiments/service";

/** GET /api/groups/:id — the group's sibling rollouts with their messages (side-by-side view). */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => {
    const id = decodeURIComponent((await ctx.params).id);
    if (!/^g-[\w.-]{1,200}$/.test(id)) throw new ValidationError("id must be a group id (g-…)", "id");
    return json(getGroupDetail(getDb(), id));
  });
}
