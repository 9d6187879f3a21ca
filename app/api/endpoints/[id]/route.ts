import { connection } from "next/server";
import { getDb } from "@/db/server";
import { retryBusy } from "@/db/retry";
import { handleRoute, json, parseIdParam } from "@/lib/http/respond";
import { deleteEndpoint } from "@/lib/experiments/service";

/** DELETE /api/endpoints/:id — 409 while a queued/running experiment uses it. */
export async function DELETE(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => {
    const id = parseIdParam((await ctx.params).id);
    return json(await retryBusy(() => deleteEndpoint(getDb(), id)));
  });
}
