import { connection } from "next/server";
import { getDb } from "@/db/server";
import { publicJob } from "@/db/queries/jobs";
import { retryBusy } from "@/db/retry";
import { handleRoute, json, parseIdParam } from "@/lib/http/respond";
import { requestCancel } from "@/lib/jobs/store/queue";

/** Queued → cancelled now; running → its worker aborts it within 2 s; finished → 409. */
export async function POST(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => {
    const id = parseIdParam((await ctx.params).id);
    const job = await retryBusy(() => requestCancel(getDb(), id));
    return json({ job: publicJob(job) });
  });
}
