import { connection } from "next/server";
import { getDb } from "@/db/server";
import { publicJob } from "@/db/queries/jobs";
import { handleRoute, json, parseIdParam } from "@/lib/http/respond";
import { NotFoundError } from "@/lib/errors/app-error";
import { jobQueueFor } from "@/lib/jobs/store/queue-for";

export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => {
    const id = parseIdParam((await ctx.params).id);
    const job = await jobQueueFor(getDb()).get(id);
    if (!job) throw new NotFoundError(`job ${id} not found`);
    return json({ job: publicJob(job) });
  });
}
