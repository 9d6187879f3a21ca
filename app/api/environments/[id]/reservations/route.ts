import { connection } from "next/server";
import { searchReservations } from "@/lib/environment-sources/search";
import { handleRoute, json, parseInput, searchParamsObject } from "@/lib/http/respond";
import { openEnvironment } from "../../open";
import { nonEmpty, reservationSearchSchema } from "../../schema";

/** GET /api/environments/:id/reservations?q=&user=&status=active|cancelled&page=&page_size= */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => {
    const q = parseInput(reservationSearchSchema, nonEmpty(searchParamsObject(req.url)));
    const { env } = openEnvironment((await ctx.params).id);
    return json(searchReservations(env.state, { q: q.q, user: q.user, status: q.status, page: q.page, pageSize: q.page_size }));
  });
}
