import { connection } from "next/server";
import { getDb } from "@/db/server";
import { handleRoute, json } from "@/lib/http/respond";
import { getView } from "@/lib/calibration/views";

/** GET /api/views/:id → ViewResponse (404 when unknown). */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => json(getView(getDb(), (await ctx.params).id)));
}
