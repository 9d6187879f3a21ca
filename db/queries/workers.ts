/** Worker registry reads for /api/health and `writ health` (written once for both backends, db/any-db.ts). */
import { and, desc, eq, gte } from "drizzle-orm";
import type { AnyDb } from "../any-db";
import { workers, type WorkerRow } from "../schema";

/** A worker is live when it heartbeated within this window (it beats every ≤ 0.5 s; slack for a busy event loop). */
export const WORKER_LIVE_WINDOW_MS = 10_000;

export async function listLiveWorkers(db: AnyDb, now = Date.now()): Promise<WorkerRow[]> {
  return await db
    .select()
    .from(workers)
    .where(and(eq(workers.status, "running"), gte(workers.heartbeatAt, now - WORKER_LIVE_WINDOW_MS)))
    .orderBy(desc(workers.heartbeatAt))
    .all();
}
