import { connection } from "next/server";
import { getDb } from "@/db/server";
import { handleRoute, json, parseIdParam } from "@/lib/http/respond";
import { computeOverview } from "@/lib/experiments/overview";

/** GET /api/experiments/:id/overview — pass^k, W × B cells, histograms, terminations, policy violations. */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => json(computeOverview(getDb(), parseIdParam((await ctx.params).id))));
}
