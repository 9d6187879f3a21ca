import { connection } from "next/server";
import { getDb } from "@/db/server";
import { retryBusy } from "@/db/retry";
import { handleRoute, json, parseInput, readJsonBody, searchParamsObject } from "@/lib/http/respond";
import { createExport } from "@/lib/exports/create";
import { listExportJobs, publicExport } from "@/lib/exports/queries";
import { createExportBodySchema, listExportsQuerySchema } from "@/lib/exports/schemas";

/** GET /api/exports?experiment_id=N[&limit=] — the experiment's export jobs, newest first, with progress. */
export async function GET(req: Request) {
  await connection();
  return handleRoute(() => {
    const q = parseInput(listExportsQuerySchema, searchParamsObject(req.url));
    return json({ exports: listExportJobs(getDb(), q.experiment_id, q.limit).map(publicExport) });
  });
}

/**
 * POST /api/exports {experiment_id, format, rl_layout?, iteration?, config?, require_read_coverage?}
 * — queue an exports.create job that writes the file in the data folder; 201 {export}.
 */
export async function POST(req: Request) {
  await connection();
  return handleRoute(async () => {
    const body = parseInput(createExportBodySchema, await readJsonBody(req));
    const job = await retryBusy(() => createExport(getDb(), body));
    return json({ export: publicExport(job) }, 201);
  });
}
