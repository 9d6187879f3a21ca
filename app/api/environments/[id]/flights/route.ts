import { connection } from "next/server";
import { searchFlights } from "@/lib/environment-sources/search";
import { handleRoute, json, parseInput, searchParamsObject } from "@/lib/http/respond";
import { openEnvironment } from "../../open";
import { flightSearchSchema, nonEmpty } from "../../schema";

/** GET /api/environments/:id/flights?origin=&destination=&date=&number=&page=&page_size= */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }) {
  await connection();
  return handleRoute(async () => {
    const q = parseInput(flightSearchSchema, nonEmpty(searchParamsObject(req.url)));
    const { env } = openEnvironment((await ctx.params).id);
    return json(
      searchFlights(env.state, { origin: q.origin, destination: q.destination, date: q.date, number: q.number, page: q.page, pageSize: q.page_size }),
    );
  });
}
