import { connection } from "next/server";
import { getDb } from "@/db/server";
import { getEnv } from "@/lib/settings";
import { handleRoute, json, parseInput, readJsonBody } from "@/lib/http/respond";
import { testEndpoint } from "@/lib/experiments/service";
import { testEndpointSchema } from "../schema";

/**
 * POST /api/endpoints/test {endpoint_id} | {base_url, model, api_key?} — one tiny completion; the stored key stays
 * server-side, and the server's OPENAI_API_KEY is sent only to WRIT_OPENAI_ENV_KEY_HOSTS (answer: key_source).
 */
export async function POST(req: Request) {
  await connection();
  return handleRoute(async () => {
    const body = parseInput(testEndpointSchema, await readJsonBody(req));
    return json(await testEndpoint(getDb(), body, getEnv()));
  });
}
