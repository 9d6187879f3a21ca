import { connection } from "next/server";
import { getDb } from "@/db/server";
import { handleRoute, json, parseInput, searchParamsObject } from "@/lib/http/respond";
import { diffIterations } from "@/lib/calibration/iterations";
import { diffQuerySchema } from "@/lib/calibration/schemas";

/** GET /api/reward-configs/diff?a=ID&b=ID → IterationDiffResponse (config changes key by key, metric deltas b − a). */
export async function GET(req: Request) {
  await connection();
  return handleRoute(async () => {
    const q = parseInput(diffQuerySchema, searchParamsObject(req.url));
    return json(diffIterations(getDb(), q.a, q.b));
  });
}
