import { connection } from "next/server";
import { getDb } from "@/db/server";
import { ValidationError } from "@/lib/errors/app-error";
import { handleRoute, json, parseInput, searchParamsObject } from "@/lib/http/respond";
import { getGroupSiblingMessages, groupSiblingsQuerySchema } from "@/lib/experiments/group-pages";

/** GET /api/groups/:id/messages?from=A&to=B → GroupSiblingMessagesResponse: the messages of siblings [A, B) in sample order (the rollout browser's next columns). */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => {
    const id = decodeURIComponent((await ctx.params).id);
    if (!/^g-[\w.-]{1,200}$/.test(id)) throw new ValidationError("id must be a group id (g-…)", "id");
    const q = parseInput(groupSiblingsQuerySchema, searchParamsObject(req.url));
    return json(getGroupSiblingMessages(getDb(), id, q.from, q.to));
  });
}
