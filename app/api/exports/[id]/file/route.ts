import { connection } from "next/server";
import { getDb } from "@/db/server";
import { handleRoute, parseIdParam } from "@/lib/http/respond";
import { openExportFile } from "@/lib/exports/download";

/** GET /api/exports/:id/file — the finished export's file, streamed from disk (409 while it is being written). */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => {
    const id = parseIdParam((await ctx.params).id);
    const file = await openExportFile(getDb(), id);
    return new Response(file.body, {
      headers: {
        "content-type": `${file.contentType}; charset=utf-8`,
        "content-length": String(file.size),
        "content-disposition": `attachment; filename="${file.filename}"`,
        "cache-control": "no-store",
      },
    });
  });
}
