import { connection } from "next/server";
import { getDb } from "@/db/server";
import { getHealth } from "@/db/queries/health";
import { listCaches } from "@/lib/cache/lru";
import { json } from "@/lib/http/respond";

/**
 * GET /api/health — 200 when the db answers, 503 otherwise (workers are reported, not required).
 * `caches` lists this web process's in-memory caches (name, size, bound) so an operator can see
 * what the server keeps in memory.
 */
export async function GET() {
  await connection();
  const health = await getHealth(getDb);
  return json({ ...health, caches: listCaches() }, health.ok ? 200 : 503);
}
