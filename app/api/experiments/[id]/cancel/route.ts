import { connection } from "next/server";
import { getDb } from "@/db/server";
import { retryBusy } from "@/db/retry";
import { handleRoute, json, parseIdParam } from "@/lib/http/respond";
import { cancelExperiment } from "@/lib/experiments/service";

/** POST /api/experiments/:id/cancel — queued: cancelled now; running: the worker stops within ~2 s; finished: 409. */
export async function POST(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => {
    const id = parseIdParam((await ctx.params).id);
    return json(await retryBusy(() => cancelExperiment(getDb(), id)));
  });
}
