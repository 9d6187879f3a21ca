import { connection } from "next/server";
import { getDb } from "@/db/server";
import { getHealth } from "@/db/queries/health";
import { json } from "@/lib/http/respond";

/** GET /api/health — 200 when the db answers, 503 otherwise (workers are reported, not required). */
export async function GET() {
  await connection();
  const health = getHealth(getDb);
  return json(health, health.ok ? 200 : 503);
}
