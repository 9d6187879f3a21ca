import { connection } from "next/server";
import { getDb } from "@/db/server";
import { handleRoute, json, parseInput, searchParamsObject } from "@/lib/http/respond";
import { listWorkersOverview } from "@/lib/jobs/store/workers";
import { listWorkersQuerySchema } from "./schema";

/**
 * GET /api/workers?since_ms= — the worker pool by host: each worker's state (live / stale /
 * stopped), heartbeat age, running jobs, counters and throughput (lib/jobs/workers-view.ts).
 * No payloads, keys or tokens: a job shows as its name, id, label and progress.
 */
export async function GET(req: Request) {
  await connection();
  return handleRoute(async () => {
    const query = parseInput(listWorkersQuerySchema, searchParamsObject(req.url));
    return json(await listWorkersOverview(getDb(), { sinceMs: query.since_ms }));
  });
}
