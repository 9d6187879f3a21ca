/**
 * Job queue throughput: enqueue 10,000 demo.noop jobs, then let 1 and then 3 worker
 * processes (concurrency 4 each) claim and complete them. Throughput is measured from the
 * first claim to the last completion (db timestamps), so process start-up is excluded.
 * Then the same on PostgreSQL (issue 19: pg-boss delivery, workers started with DATABASE_URL)
 * with 1, 2 and 4 worker processes, on a throwaway database of the server at BENCH_PG_URL
 * (default postgres://postgres@127.0.0.1:5432/postgres; skipped, and said so, when none answers).
 * Prints one JSON object. Run: npx tsx bench/queue.ts [--jobs N]
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import pg from "pg";
import { closeDb, openDb, type Db } from "../db/client";
import { migratePg } from "../db/pg/migrate";
import { jobs } from "../db/schema";
import { enqueueJob } from "../lib/jobs/store/enqueue";
import { createPgJobQueue } from "../lib/jobs/store/pg-queue";

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

/** `count` worker processes (concurrency 4, polling every 10 ms) on the database `env` names. */
function spawnWorkers(count: number, env: Record<string, string>) {
  const children = Array.from({ length: count }, () =>
    spawn(process.execPath, ["--import", "tsx", join(ROOT, "workers", "main.ts")], {
      cwd: ROOT,
      env: { ...process.env, ...env, WRIT_WORKER_CONCURRENCY: "4", WRIT_WORKER_POLL_MS: "10" },
      stdio: ["ignore", "ignore", "pipe"],
    }),
  );
  return { children, exited: children.map((c) => new Promise((r) => c.on("exit", r))) };
}

async function runWith(workerCount: number) {
  const dir = mkdtempSync(join(tmpdir(), "writ-bench-queue-"));
  const path = join(dir, "writ.db");
  const db = openDb(path);
  const enqueueSeconds = enqueueAll(db, JOBS);
  const { children, exited } = spawnWorkers(workerCount, { WRIT_DB: path });
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
  return summary(workerCount, enqueueSeconds, span);
}

/** One run's figures, from the jobs table's first claim and last completion (ms timestamps). */
function summary(workerCount: number, enqueueSeconds: number, span: { first: number; last: number; failed: number; multi: number }) {
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

const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

async function pgAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function runOnPostgres(workerCount: number) {
  const name = `writ_bench_queue_${randomBytes(4).toString("hex")}`;
  await pgAdmin((c) => c.query(`CREATE DATABASE ${name}`));
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  const url = u.toString();
  try {
    await migratePg(url);
    const queue = await createPgJobQueue({ url });
    const t0 = performance.now();
    for (let i = 0; i < JOBS; i++) await queue.enqueue("demo.noop", { tag: String(i) });
    const enqueueSeconds = (performance.now() - t0) / 1000;
    await queue.close();
    const { children, exited } = spawnWorkers(workerCount, { DATABASE_URL: url });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const deadline = Date.now() + 10 * 60_000;
    for (;;) {
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM jobs WHERE status = 'succeeded'`);
      if (rows[0].n >= JOBS) break;
      if (Date.now() > deadline) throw new Error("bench timed out");
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const c of children) c.kill("SIGTERM");
    await Promise.all(exited);
    const span = (
      await client.query(
        `SELECT min(started_at)::float8 AS first, max(finished_at)::float8 AS last,
                sum(CASE WHEN status <> 'succeeded' THEN 1 ELSE 0 END)::int AS failed,
                sum(CASE WHEN attempts <> 1 THEN 1 ELSE 0 END)::int AS multi FROM jobs`,
      )
    ).rows[0];
    await client.end();
    return summary(workerCount, enqueueSeconds, span);
  } finally {
    await pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch(() => {});
  }
}

async function pgAvailable(): Promise<boolean> {
  try {
    await pgAdmin((c) => c.query("SELECT 1"));
    return true;
  } catch {
    return false;
  }
}

async function main() {
  const one = await runWith(1);
  const three = await runWith(3);
  const postgres = (await pgAvailable())
    ? { workers_1: await runOnPostgres(1), workers_2: await runOnPostgres(2), workers_4: await runOnPostgres(4) }
    : { skipped: `no PostgreSQL server answered at ${PG_ADMIN_URL.replace(/\/\/[^@/]*@/, "//")}` };
  process.stdout.write(
    JSON.stringify({ bench: "queue", jobs: JOBS, job: "demo.noop (claim, one recorded step, complete)", workers_1: one, workers_3: three, postgres }) + "\n",
  );
}

main().catch((err) => {
  process.stderr.write(String(err?.stack ?? err) + "\n");
  process.exit(1);
});
