import { connection } from "next/server";
import { getDb } from "@/db/server";
import { publicJob } from "@/db/queries/jobs";
import { handleRoute, json, parseIdParam } from "@/lib/http/respond";
import { getJobOrThrow } from "@/lib/jobs/store/queue";

export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => {
    const id = parseIdParam((await ctx.params).id);
    return json({ job: publicJob(getJobOrThrow(getDb(), id)) });
  });
}
