import { connection } from "next/server";
import { getDb } from "@/db/server";
import { handleRoute, json, parseIdParam, parseInput, searchParamsObject } from "@/lib/http/respond";
import { getTaskSetOrThrow, listTasks } from "@/lib/synthesis-runs/store";
import { nonEmpty } from "../../../environments/schema";
import { listTasksQuerySchema } from "../../schema";

/** GET /api/task-sets/:id/tasks?w=&b=&bt=&behavior=&decision=&page=&page_size= — compact rows, no bodies. */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => {
    const id = parseIdParam((await ctx.params).id);
    const q = parseInput(listTasksQuerySchema, nonEmpty(searchParamsObject(req.url)));
    const db = getDb();
    getTaskSetOrThrow(db, id);
    return json(
      listTasks(db, id, { writes: q.w, evidence: q.b, evidenceTotal: q.bt, behavior: q.behavior, decisionType: q.decision, page: q.page, pageSize: q.page_size }),
    );
  });
}
