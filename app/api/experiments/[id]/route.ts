import { connection } from "next/server";
import { getDb } from "@/db/server";
import { handleRoute, json, parseIdParam } from "@/lib/http/respond";
import { getExperimentDetail } from "@/lib/experiments/service";

/** GET /api/experiments/:id — config (no secrets) and live progress. */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => json(getExperimentDetail(getDb(), parseIdParam((await ctx.params).id))));
}
