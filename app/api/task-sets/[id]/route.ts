import { connection } from "next/server";
import { getDb } from "@/db/server";
import { handleRoute, json, parseIdParam } from "@/lib/http/respond";
import { getTaskSetSummary, publicTaskSet, taskSetFacets } from "@/lib/synthesis-runs/store";

/** GET /api/task-sets/:id — the set, its synthesis report and its W × B / filter facets. */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => {
    const id = parseIdParam((await ctx.params).id);
    const db = getDb();
    const { set, summary } = getTaskSetSummary(db, id);
    return json({ task_set: publicTaskSet(set, summary), facets: taskSetFacets(db, id) });
  });
}
