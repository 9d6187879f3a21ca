import { connection } from "next/server";
import { getDb } from "@/db/server";
import { retryBusy } from "@/db/retry";
import { handleRoute, json, parseInput, searchParamsObject } from "@/lib/http/respond";
import { createIteration, listIterations } from "@/lib/calibration/iterations";
import { readBody } from "@/lib/calibration/request";
import { createIterationSchema, listIterationsQuerySchema } from "@/lib/calibration/schemas";

/** GET /api/reward-configs?experiment_id=N → ListIterationsResponse (seeds iteration 1 = NAIVE_V5). */
export async function GET(req: Request) {
  await connection();
  return handleRoute(async () => {
    const q = parseInput(listIterationsQuerySchema, searchParamsObject(req.url));
    const db = getDb();
    const iterations = await retryBusy(() => listIterations(db, q.experiment_id));
    return json({ experiment_id: q.experiment_id, iterations });
  });
}

/** POST /api/reward-configs {experiment_id, parent_id?, config, note?} → 201 {iteration}. Immutable: no update route. */
export async function POST(req: Request) {
  await connection();
  return handleRoute(async () => {
    const body = parseInput(createIterationSchema, await readBody(req));
    const db = getDb();
    const iteration = await retryBusy(() => createIteration(db, body));
    return json({ iteration }, 201);
  });
}
