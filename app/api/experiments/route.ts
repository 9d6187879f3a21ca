import { connection } from "next/server";
import { getDb } from "@/db/server";
import { retryBusy } from "@/db/retry";
import { handleRoute, json, parseInput, readJsonBody, searchParamsObject } from "@/lib/http/respond";
import { createExperiment } from "@/lib/experiments/create-experiment";
import { listExperimentsQuerySchema } from "@/lib/experiments/schemas";
import { getExperimentDetail, listExperimentsResponse } from "@/lib/experiments/service";

/** GET /api/experiments?limit=&cursor=&status= — newest first, key figures per experiment. */
export async function GET(req: Request) {
  await connection();
  return handleRoute(() => {
    const q = parseInput(listExperimentsQuerySchema, searchParamsObject(req.url));
    return json(listExperimentsResponse(getDb(), q));
  });
}

/** POST /api/experiments — create and launch (experiment, groups and rollouts.run job in one transaction). */
export async function POST(req: Request) {
  await connection();
  return handleRoute(async () => {
    const body = await readJsonBody(req);
    const db = getDb();
    const { experiment } = await retryBusy(() => createExperiment(db, body));
    return json(getExperimentDetail(db, experiment.id), 201);
  });
}
