import { connection } from "next/server";
import { NotFoundError } from "@/lib/errors/app-error";
import { handleRoute, json } from "@/lib/http/respond";
import { openEnvironment } from "../../../open";

/** GET /api/environments/:id/reservations/:reservationId */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string; reservationId: string }> }) {
  await connection();
  return handleRoute(async () => {
    const { id, reservationId } = await ctx.params;
    const { env } = openEnvironment(id);
    const has = Object.prototype.hasOwnProperty.call(env.state.reservations, reservationId);
    if (!has) throw new NotFoundError(`reservation ${reservationId} not found`);
    return json({ reservation: env.state.reservations[reservationId] });
  });
}
