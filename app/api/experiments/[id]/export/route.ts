import { connection } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/server";
import { handleRoute, parseIdParam, parseInput, searchParamsObject } from "@/lib/http/respond";
import { exportExperiment } from "@/lib/experiments/export";
import { exportQuerySchema } from "@/lib/experiments/schemas";
import { exportStreamResponse } from "@/lib/exports/response";
import { EXPORT_PAGE_GROUPS, rlLayoutSchema } from "@/lib/exports/schemas";
import { resolveConfig } from "@/lib/calibration/request";

/** rl export: `iteration` (a reward_configs id) or `config` (hash or inline JSON); neither = latest iteration. */
const rlQuerySchema = z.object({
  format: z.literal("rl"),
  iteration: z.coerce.number().int().positive().optional(),
  config: z.string().optional(),
  rl_layout: rlLayoutSchema,
});

/**
 * GET /api/experiments/:id/export?format=jsonl|tau2|sft|tasks[&require_read_coverage=1] — a streamed download.
 * GET /api/experiments/:id/export?format=rl[&iteration=ID | &config=<hash|json>][&rl_layout=compact|full] —
 * per-turn advantages (JSONL; compact = a line per rollout, full = a line per turn).
 * Streams with back-pressure in short slices, so the server keeps answering other requests
 * (lib/exports/cooperative.ts); for a file with a progress bar, POST /api/exports instead.
 */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => {
    const id = parseIdParam((await ctx.params).id);
    const params = searchParamsObject(req.url);
    const db = getDb();
    if (params.format === "rl") {
      const q = parseInput(rlQuerySchema, params);
      const config = q.iteration === undefined && q.config !== undefined ? resolveConfig(db, id, q.config) : undefined;
      const stream = exportExperiment(db, id, "rl", { iteration: q.iteration, config, rlLayout: q.rl_layout, pageGroups: EXPORT_PAGE_GROUPS });
      return exportStreamResponse(stream, { "x-writ-rl-layout": q.rl_layout });
    }
    const q = parseInput(exportQuerySchema, params);
    return exportStreamResponse(exportExperiment(db, id, q.format, { requireReadCoverage: q.require_read_coverage, pageGroups: EXPORT_PAGE_GROUPS }));
  });
}
