import { connection } from "next/server";
import { getDb } from "@/db/server";
import { retryBusy } from "@/db/retry";
import { getEnvironment } from "@/lib/environment-sources/rows";
import { ValidationError } from "@/lib/errors/app-error";
import { handleRoute, json, parseInput, readJsonBody } from "@/lib/http/respond";
import { createSynthesisTaskSet } from "@/lib/synthesis-runs/enqueue";
import { getTaskSetSummary, importTaskSet, listTaskSets, publicTaskSet } from "@/lib/synthesis-runs/store";
import { ensureDefaultEnvironments } from "../environments/open";
import { createTaskSetSchema, parseConfigField, parseImportField } from "./schema";

/** GET /api/task-sets — every set with its status, counts and (while synthesizing) job progress. */
export async function GET() {
  await connection();
  return handleRoute(() => json({ task_sets: listTaskSets(getDb()) }));
}

/**
 * POST /api/task-sets
 *   {name, environment_id?, config}  → a queued set + its synthesis.run job (one transaction), 202
 *   {name, environment_id?, import}  → a τ² tasks.json imported as a ready set, 201
 */
export async function POST(req: Request) {
  await connection();
  return handleRoute(async () => {
    const body = parseInput(createTaskSetSchema, await readJsonBody(req));
    const db = getDb();
    await retryBusy(() => ensureDefaultEnvironments());
    const environmentId = body.environment_id ?? null;
    if (environmentId !== null && !getEnvironment(db, environmentId)) {
      throw new ValidationError(`environment ${environmentId} not found`, "environment_id");
    }
    if (body.import !== undefined && body.config !== undefined) {
      throw new ValidationError("send either config (synthesize) or import (τ² tasks.json), not both", "import");
    }
    if (body.import !== undefined) {
      const tasks = parseImportField(body.import);
      const set = await retryBusy(() => importTaskSet(db, { name: body.name, environmentId, tasks }));
      const { summary } = getTaskSetSummary(db, set.id);
      return json({ task_set: publicTaskSet(set, summary) }, 201);
    }
    if (body.config === undefined) throw new ValidationError("config is required (or import, to import τ² tasks)", "config");
    const config = parseConfigField(body.config);
    const { set, job } = await retryBusy(() => createSynthesisTaskSet(db, { name: body.name, environmentId, config }));
    const { summary } = getTaskSetSummary(db, set.id);
    return json({ task_set: publicTaskSet(set, summary), job: { id: job.id, status: job.status } }, 202);
  });
}
