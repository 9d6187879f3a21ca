import { connection } from "next/server";
import { searchReservations } from "@/lib/environment-sources/search";
import { NotFoundError } from "@/lib/errors/app-error";
import { handleRoute, json } from "@/lib/http/respond";
import { openEnvironment } from "../../../open";

/** GET /api/environments/:id/users/:userId — the user record and summaries of their reservations. */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string; userId: string }> }) {
  await connection();
  return handleRoute(async () => {
    const { id, userId } = await ctx.params;
    const { env } = openEnvironment(id);
    const user = Object.prototype.hasOwnProperty.call(env.state.users, userId) ? env.state.users[userId] : undefined;
    if (!user) throw new NotFoundError(`user ${userId} not found`);
    return json({ user, reservations: searchReservations(env.state, { user: userId, pageSize: 200 }).items });
  });
}
