import { connection } from "next/server";
import { getDb } from "@/db/server";
import { countJobsByStatus, listJobs, publicJob } from "@/db/queries/jobs";
import { ValidationError } from "@/lib/errors/app-error";
import { handleRoute, json, parseInput, readJsonBody, searchParamsObject } from "@/lib/http/respond";
import { retryBusy } from "@/db/retry";
import { enqueueJob } from "@/lib/jobs/store/enqueue";
import { listApiJobNames } from "@/lib/jobs/registry";
import { enqueueJobBodySchema, listJobsQuerySchema } from "./schema";

/** GET /api/jobs?status=&name=&limit=&cursor= — newest first, keyset pagination. */
export async function GET(req: Request) {
  await connection();
  return handleRoute(() => {
    const query = parseInput(listJobsQuerySchema, searchParamsObject(req.url));
    const db = getDb();
    const page = listJobs(db, query);
    return json({
      jobs: page.jobs.map(publicJob),
      nextCursor: page.nextCursor,
      counts: countJobsByStatus(db),
      jobTypes: listApiJobNames(),
    });
  });
}

/** POST /api/jobs {name, payload, priority?} — only job types open to the API. */
export async function POST(req: Request) {
  await connection();
  return handleRoute(async () => {
    const body = parseInput(enqueueJobBodySchema, await readJsonBody(req));
    if (!listApiJobNames().includes(body.name)) {
      throw new ValidationError(`job "${body.name}" cannot be enqueued from the API`, "name");
    }
    const job = await retryBusy(() => enqueueJob(getDb(), body.name, body.payload, { priority: body.priority }));
    return json({ job: publicJob(job) }, 201);
  });
}
