import { connection } from "next/server";
import { getDb } from "@/db/server";
import { retryBusy } from "@/db/retry";
import { getEnv } from "@/lib/settings";
import { importExperiment } from "@/lib/experiments/import";
import { importExperimentBodySchema } from "@/lib/experiments/import-schema";
import { handleRoute, json, parseInput, readJsonBody } from "@/lib/http/respond";

/**
 * POST /api/experiments/import {from, text, name} — a τ² results file or rollout JSON lines
 * as a new experiment, checked and re-scored like `writ import` (201 with the import report;
 * 400 naming the simulations or lines that were refused). The base state for re-scoring is
 * the operator's TAU2_DATA_DIR, never a caller-named path.
 */
export async function POST(req: Request) {
  await connection();
  return handleRoute(async () => {
    const body = parseInput(importExperimentBodySchema, await readJsonBody(req));
    const db = getDb();
    const domainDir = getEnv().TAU2_DATA_DIR || undefined;
    const result = await retryBusy(() => importExperiment(db, { from: body.from, text: body.text, name: body.name, domainDir }));
    return json(result, 201);
  });
}
