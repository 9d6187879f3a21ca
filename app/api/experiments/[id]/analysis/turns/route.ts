import { connection } from "next/server";
import { getDb } from "@/db/server";
import { handleRoute, json, parseIdParam, parseInput, searchParamsObject } from "@/lib/http/respond";
import { ValidationError } from "@/lib/errors/app-error";
import { drillTurns, requireExperiment } from "@/lib/calibration/analysis";
import { resolveConfig } from "@/lib/calibration/request";
import { drillQuerySchema } from "@/lib/calibration/schemas";

/**
 * GET /api/experiments/:id/analysis/turns?tier=&position=&cell=W:B&config=<hash|json>&limit=&offset=
 * → DrillTurnsResponse: the turns of a tier / heatmap cell, misaligned first.
 */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => {
    const id = parseIdParam((await ctx.params).id);
    const q = parseInput(drillQuerySchema, searchParamsObject(req.url));
    if (!q.tier && q.position === undefined && !q.cell) throw new ValidationError("give tier, position or cell", "tier");
    const db = getDb();
    requireExperiment(db, id);
    const config = resolveConfig(db, id, q.config);
    const slice =
      q.w || q.b || q.behavior || q.steps
        ? { ...(q.w ? { w: q.w } : {}), ...(q.b ? { b: q.b } : {}), ...(q.behavior ? { behavior: q.behavior } : {}), ...(q.steps ? { steps: q.steps } : {}) }
        : null;
    const yes = (v?: string) => v === "1" || v === "true";
    return json(
      drillTurns(db, id, {
        config,
        tier: q.tier ?? null,
        position: q.position ?? null,
        positionPooled: yes(q.position_pooled),
        cell: q.cell ?? null,
        slice,
        misalignedOnly: yes(q.misaligned_only),
        limit: q.limit,
        offset: q.offset,
      }),
    );
  });
}
