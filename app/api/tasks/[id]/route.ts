import { connection } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/server";
import { computeTargetDiff } from "@/lib/environment-sources/target-diff";
import { handleRoute, json, parseIdParam, parseInput, searchParamsObject } from "@/lib/http/respond";
import { getTaskRowOrThrow, getTaskSetOrThrow, publicTask } from "@/lib/synthesis-runs/store";
import { loadTaskBase } from "@/lib/environment-sources/task-base";

const querySchema = z.object({ diff: z.enum(["0", "1"]).default("0") });

/** GET /api/tasks/:id[?diff=1] — the task body (and, with diff=1, its target state diff on the set's environment). */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => {
    const id = parseIdParam((await ctx.params).id);
    const q = parseInput(querySchema, searchParamsObject(req.url));
    const db = getDb();
    const row = getTaskRowOrThrow(db, id);
    if (q.diff === "0") return json({ task: publicTask(row) });
    const set = getTaskSetOrThrow(db, row.taskSetId);
    const base = loadTaskBase(db, set.environmentId, row.body);
    return json({ task: publicTask(row), environment: base.label, target: computeTargetDiff(base.state, row.body) });
  });
}
