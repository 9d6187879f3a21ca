import { connection } from "next/server";
import { getDb } from "@/db/server";
import { handleRoute, json, parseIdParam } from "@/lib/http/respond";
import { getIteration } from "@/lib/calibration/iterations";

/** GET /api/reward-configs/:id → {iteration}. Versions are immutable: there is no PUT/PATCH/DELETE. */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => json({ iteration: getIteration(getDb(), parseIdParam((await ctx.params).id)) }));
}
