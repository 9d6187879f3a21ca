import { connection } from "next/server";
import { getDb } from "@/db/server";
import { ValidationError } from "@/lib/errors/app-error";
import { handleRoute, json } from "@/lib/http/respond";
import { getRolloutDetail } from "@/lib/experiments/service";

/** GET /api/rollouts/:id — one rollout with messages, policy violations and evaluation details. */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => {
    const id = decodeURIComponent((await ctx.params).id);
    if (!/^r-[\w.-]{1,200}$/.test(id)) throw new ValidationError("id must be a rollout id (r-…)", "id");
    return json(getRolloutDetail(getDb(), id));
  });
}
