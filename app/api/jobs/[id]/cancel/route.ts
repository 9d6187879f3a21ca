import { connection } from "next/server";
import { getDb } from "@/db/server";
import { publicJob } from "@/db/queries/jobs";
import { handleRoute, json, parseIdParam } from "@/lib/http/respond";
import { jobQueueFor } from "@/lib/jobs/store/queue-for";

/** Queued → cancelled now; running → its worker aborts it within 2 s; finished → 409. */
export async function POST(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => {
    const id = parseIdParam((await ctx.params).id);
    const job = await jobQueueFor(getDb()).requestCancel(id);
    return json({ job: publicJob(job) });
  });
}
