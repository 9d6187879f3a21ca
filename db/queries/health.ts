/** The health report shared by GET /api/health and `writ health`. */
import { sql } from "drizzle-orm";
import type { AnyDb } from "../any-db";
import { countJobsByStatus, type JobCounts } from "./jobs";
import { listLiveWorkers } from "./workers";

export interface HealthReport {
  ok: boolean;
  db: { ok: boolean; error?: string };
  workers: {
    live: number;
    list: { id: string; pid: number; host: string; running: number; concurrency: number; heartbeatAt: number; heartbeatAgeMs: number }[];
  };
  queue: JobCounts | null;
  checkedAt: number;
}

/** Takes a db getter so a failure to open the database is reported, not thrown. Either backend. */
export async function getHealth(getDb: () => AnyDb, now = Date.now()): Promise<HealthReport> {
  try {
    const db = getDb();
    await db.get(sql`SELECT 1`);
    const workers = await listLiveWorkers(db, now);
    return {
      ok: true,
      db: { ok: true },
      workers: {
        live: workers.length,
        list: workers.map((w) => ({
          id: w.id,
          pid: w.pid,
          host: w.host,
          running: w.running,
          concurrency: w.concurrency,
          heartbeatAt: w.heartbeatAt,
          heartbeatAgeMs: Math.max(0, now - w.heartbeatAt),
        })),
      },
      queue: await countJobsByStatus(db),
      checkedAt: now,
    };
  } catch (err) {
    console.error("[health] database check failed", err);
    return { ok: false, db: { ok: false, error: "database unreachable" }, workers: { live: 0, list: [] }, queue: null, checkedAt: now };
  }
}
