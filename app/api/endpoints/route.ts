import { connection } from "next/server";
import { getDb } from "@/db/server";
import { retryBusy } from "@/db/retry";
import { getEnv } from "@/lib/settings";
import { handleRoute, json, parseInput, readJsonBody } from "@/lib/http/respond";
import { createEndpointResponse, listEndpointsResponse } from "@/lib/experiments/service";
import { createEndpointSchema } from "./schema";

/** GET /api/endpoints — model endpoints; a key is never returned, only has_api_key. */
export async function GET() {
  await connection();
  return handleRoute(() => json(listEndpointsResponse(getDb(), getEnv())));
}

/** POST /api/endpoints {name, base_url, model, api_key?} — the key is stored server-side only. */
export async function POST(req: Request) {
  await connection();
  return handleRoute(async () => {
    const body = parseInput(createEndpointSchema, await readJsonBody(req));
    return json(await retryBusy(() => createEndpointResponse(getDb(), body)), 201);
  });
}
