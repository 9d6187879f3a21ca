import { connection } from "next/server";
import { getDb } from "@/db/server";
import { handleRoute, json, parseIdParam, parseInput } from "@/lib/http/respond";
import { evaluateIteration } from "@/lib/calibration/iterations";
import { readBody } from "@/lib/calibration/request";
import { evaluateSchema } from "@/lib/calibration/schemas";

/** POST /api/reward-configs/:id/evaluate {experiment_id} → EvaluateIterationResponse (computed, not stored). */
export async function POST(req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => {
    const id = parseIdParam((await ctx.params).id);
    const body = parseInput(evaluateSchema, await readBody(req));
    return json(evaluateIteration(getDb(), id, body.experiment_id));
  });
}
