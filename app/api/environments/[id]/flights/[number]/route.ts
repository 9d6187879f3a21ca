import { connection } from "next/server";
import { flightStatusesByDate } from "@/lib/environment-sources/search";
import { NotFoundError } from "@/lib/errors/app-error";
import { handleRoute, json } from "@/lib/http/respond";
import { openEnvironment } from "../../../open";

/** GET /api/environments/:id/flights/:number — the flight with its status on every date. */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string; number: string }> }) {
  await connection();
  return handleRoute(async () => {
    const { id, number } = await ctx.params;
    const { env } = openEnvironment(id);
    const flight = Object.prototype.hasOwnProperty.call(env.state.flights, number) ? env.state.flights[number] : undefined;
    if (!flight) throw new NotFoundError(`flight ${number} not found`);
    return json({ flight, dates: flightStatusesByDate(flight) });
  });
}
