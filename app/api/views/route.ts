import { connection } from "next/server";
import { getDb } from "@/db/server";
import { retryBusy } from "@/db/retry";
import { handleRoute, json, parseInput } from "@/lib/http/respond";
import { readBody } from "@/lib/calibration/request";
import { createViewSchema } from "@/lib/calibration/schemas";
import { createView } from "@/lib/calibration/views";

/** POST /api/views {path, state} → 201 {id, url: "/v/<id>"}. */
export async function POST(req: Request) {
  await connection();
  return handleRoute(async () => {
    const body = parseInput(createViewSchema, await readBody(req));
    const db = getDb();
    return json(await retryBusy(() => createView(db, body)), 201);
  });
}
