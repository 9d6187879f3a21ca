import { connection } from "next/server";
import { getDb } from "@/db/server";
import { countJobsByStatus, listJobs, publicJob } from "@/db/queries/jobs";
import { ValidationError } from "@/lib/errors/app-error";
import { handleRoute, json, parseInput, readJsonBody, searchParamsObject } from "@/lib/http/respond";
import { jobQueueFor } from "@/lib/jobs/store/queue-for";
import { listApiJobNames } from "@/lib/jobs/registry";
import { enqueueJobBodySchema, listJobsQuerySchema } from "./schema";

/** GET /api/jobs?status=&name=&limit=&cursor= — newest first, keyset pagination. */
export async function GET(req: Request) {
  await connection();
  return handleRoute(async () => {
    const query = parseInput(listJobsQuerySchema, searchParamsObject(req.url));
    const db = getDb();
    const page = await listJobs(db, query);
    return json({
      jobs: page.jobs.map(publicJob),
      nextCursor: page.nextCursor,
      counts: await countJobsByStatus(db),
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
    const job = await jobQueueFor(getDb()).enqueue(body.name, body.payload, { priority: body.priority });
    return json({ job: publicJob(job) }, 201);
  });
}
