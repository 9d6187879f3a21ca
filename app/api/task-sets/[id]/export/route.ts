import { connection } from "next/server";
import { getDb } from "@/db/server";
import { handleRoute, parseIdParam } from "@/lib/http/respond";
import { exportTaskBodies, getTaskSetOrThrow } from "@/lib/synthesis-runs/store";

/** GET /api/task-sets/:id/export — the set as a τ² tasks.json download (tasks keep their `writ` object). */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => {
    const id = parseIdParam((await ctx.params).id);
    const db = getDb();
    const set = getTaskSetOrThrow(db, id);
    const file = `${set.name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || `task-set-${id}`}.tasks.json`;
    return new Response(JSON.stringify(exportTaskBodies(db, id), null, 2) + "\n", {
      headers: {
        "content-type": "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="${file}"`,
      },
    });
  });
}
