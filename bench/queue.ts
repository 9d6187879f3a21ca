/**
 * Job queue throughput: enqueue 10,000 demo.noop jobs, then let 1 and then 3 worker
 * processes (concurrency 4 each) claim and complete them. Throughput is measured from the
 * first claim to the last completion (db timestamps), so process start-up is excluded.
 * Prints one JSON object. Run: npx tsx bench/queue.ts [--jobs N]
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { sql } from "drizzle-orm";
import { closeDb, openDb, type Db } from "../db/client";
import { jobs } from "../db/schema";
import { enqueueJob } from "../lib/jobs/store/enqueue";

const ROOT = resolve(__dirname, "..");
const argJobs = process.argv.indexOf("--jobs");
const JOBS = argJobs > 0 ? Number(process.argv[argJobs + 1]) : 10_000;
const round = (x: number) => Math.round(x * 10) / 10;

function enqueueAll(db: Db, n: number): number {
  const t0 = performance.now();
  for (let done = 0; done < n; done += 500) {
    db.transaction((tx) => {
      for (let i = done; i < Math.min(n, done + 500); i++) enqueueJob(tx, "demo.noop", { tag: String(i) });
    });
  }
  return (performance.now() - t0) / 1000;
}

async function runWith(workerCount: number) {
  const dir = mkdtempSync(join(tmpdir(), "writ-bench-queue-"));
  const path = join(dir, "writ.db");
  const db = openDb(path);
  const enqueueSeconds = enqueueAll(db, JOBS);
  const children = Array.from({ length: workerCount }, () =>
    spawn(process.execPath, ["--import", "tsx", join(ROOT, "workers", "main.ts")], {
      cwd: ROOT,
      env: { ...process.env, WRIT_DB: path, WRIT_WORKER_CONCURRENCY: "4", WRIT_WORKER_POLL_MS: "10" },
      stdio: ["ignore", "ignore", "pipe"],
    }),
  );
  const exited = children.map((c) => new Promise((r) => c.on("exit", r)));
  const count = (status: string) =>
    db.select({ n: sql<number>`count(*)` }).from(jobs).where(sql`status = ${status}`).get()?.n ?? 0;
  const deadline = Date.now() + 10 * 60_000;
  while (count("succeeded") < JOBS) {
    if (Date.now() > deadline) throw new Error("bench timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const c of children) c.kill("SIGTERM");
  await Promise.all(exited);
  const span = db
    .select({ first: sql<number>`min(started_at)`, last: sql<number>`max(finished_at)`, failed: sql<number>`sum(status != 'succeeded')`, multi: sql<number>`sum(attempts != 1)` })
    .from(jobs)
    .get()!;
  closeDb(db);
  rmSync(dir, { recursive: true, force: true });
  const seconds = (span.last - span.first) / 1000;
  return {
    workers: workerCount,
    concurrency_per_worker: 4,
    enqueue_jobs_per_s: Math.round(JOBS / enqueueSeconds),
    claim_complete_seconds: round(seconds),
    claim_complete_jobs_per_s: Math.round(JOBS / seconds),
    not_succeeded: span.failed,
    claimed_more_than_once: span.multi,
  };
}

async function main() {
  const one = await runWith(1);
  const three = await runWith(3);
  process.stdout.write(
    JSON.stringify({ bench: "queue", jobs: JOBS, job: "demo.noop (claim, one recorded step, complete)", workers_1: one, workers_3: three }) + "\n",
  );
}

main().catch((err) => {
  process.stderr.write(String(err?.stack ?? err) + "\n");
  process.exit(1);
});
