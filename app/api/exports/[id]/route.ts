import { connection } from "next/server";
import { getDb } from "@/db/server";
import { NotFoundError } from "@/lib/errors/app-error";
import { handleRoute, json, parseIdParam } from "@/lib/http/respond";
import { getExportJob, publicExport } from "@/lib/exports/queries";
import { deleteExport } from "@/lib/exports/delete";
import { retryBusy } from "@/db/retry";

/** GET /api/exports/:id — one export job (status, progress, download_url when done). */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => {
    const id = parseIdParam((await ctx.params).id);
    const job = getExportJob(getDb(), id);
    if (!job) throw new NotFoundError(`export ${id} not found`);
    return json({ export: publicExport(job) });
  });
}

/** DELETE /api/exports/:id — remove a finished export's file and record (409 while queued or running). */
export async function DELETE(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => {
    const id = parseIdParam((await ctx.params).id);
    return json(await retryBusy(() => deleteExport(getDb(), id)));
  });
}
