import { connection } from "next/server";
import { publicEnvironment } from "@/lib/environment-sources/rows";
import { countState, listStateAirports, listStateDates } from "@/lib/environment-sources/search";
import { handleRoute, json } from "@/lib/http/respond";
import { openEnvironment } from "../open";

/** GET /api/environments/:id — the row, record counts, airports and dates in use. */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => {
    const { row, env } = openEnvironment((await ctx.params).id);
    return json({
      environment: publicEnvironment(row),
      label: env.label,
      counts: countState(env.state),
      airports: listStateAirports(env.state),
      dates: listStateDates(env.state),
      tasks_shipped: env.tasks?.length ?? 0,
    });
  });
}
