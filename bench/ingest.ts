/**
 * Ingestion end to end (issue 15 §6): plain HTTP → POST /api/v1/ingest (the real route handler
 * in a server process of its own, tests/ingest-server.ts) → parse, evaluate, classify, store
 * in SQLite. One "training step" of G groups × N simulated trajectories (default 64 × 8; the
 * simulated agents average ~27 agent turns per trajectory) is played once, serialised into
 * batches under the 4 MB limit, then sent REPS times as fresh runs (new run ids, so every group
 * is new and really stored). Prints agent turns/s (median over runs) and the step's seconds.
 * Target: ≥ 50,000 turns/s (a step of 64 × 8 × 30 turns in ≤ 0.3 s).
 * Env: BENCH_GROUPS (64), BENCH_SAMPLES (8), BENCH_REPS (3). `--quick`: 16 groups.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeDb, openDb } from "../db/client";
import { simulateStep } from "../lib/ingest/simulate";
import { synthesizeTasks, BEHAVIORS } from "../lib/synthesis";
import { createTaskSet, insertTasks } from "../lib/synthesis/job-store";
import { MAX_INGEST_BYTES } from "../lib/ingest/events";

const quick = process.argv.includes("--quick");
const G = Number(process.env.BENCH_GROUPS ?? (quick ? 16 : 64));
const N = Number(process.env.BENCH_SAMPLES ?? 8);
const REPS = Math.max(1, Number(process.env.BENCH_REPS ?? 3));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function startServer(dbPath: string): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ["--import", "tsx", join(__dirname, "..", "tests", "ingest-server.ts")], {
    env: { ...process.env, WRIT_DB: dbPath, INGEST_PORT: "0", NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/listening (\S+)/);
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`server exited ${code}`)));
  });
  return { url, stop: () => child.kill("SIGTERM") };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "writ-bench-ingest-"));
  const dbPath = join(dir, "writ.db");
  try {
    const perCell = Math.ceil(G / 4);
    const { tasks } = synthesizeTasks({
      grid: [
        { writes: 1, evidence: 2, count: perCell },
        { writes: 2, evidence: 4, count: perCell },
        { writes: 3, evidence: 8, count: perCell },
        { writes: 4, evidence: 16, count: perCell },
      ],
      seed: 11,
      behaviors: Object.fromEntries(BEHAVIORS.map((b) => [b, 1])),
    });
    const stepTasks = tasks.slice(0, G);
    const db = openDb(dbPath);
    const set = createTaskSet(db, { name: "bench-ingest", environmentId: null, source: "synthesized", status: "ready" });
    insertTasks(db, set.id, stepTasks);
    closeDb(db);

    process.stderr.write(`[ingest] playing ${G} × ${N} simulated trajectories …\n`);
    const groups = await simulateStep(stepTasks, 1, 2, N);
    let turns = 0;
    for (const g of groups) for (const t of g.trajectories) turns += t.messages.filter((m, i) => m.role === "assistant" && i > 0).length;

    const server = await startServer(dbPath);
    const post = async (body: string) => {
      const r = await fetch(`${server.url}/api/v1/ingest`, { method: "POST", headers: { "content-type": "application/json" }, body });
      const j = (await r.json()) as { errors?: unknown[] };
      if (r.status !== 207 || j.errors?.length) throw new Error(`ingest answered ${r.status}: ${JSON.stringify(j).slice(0, 300)}`);
    };
    const batchesFor = (runId: string): string[] => {
      const out: string[] = [];
      let cur: string[] = [JSON.stringify({ id: `${runId}-up`, type: "run.upsert", body: { run_id: runId, task_set: set.id, trainer: "bench" } })];
      let size = cur[0].length;
      groups.forEach((g, k) => {
        const ev = JSON.stringify({ id: `${runId}-${k}`, type: "group.create", body: { run_id: runId, ...g, trajectories: g.trajectories.map((t) => ({ ...t, trajectory_id: `${runId}-${t.trajectory_id}` })) } });
        if (size + ev.length + 64 > MAX_INGEST_BYTES) {
          out.push(`{"batch":[${cur.join(",")}]}`);
          cur = [];
          size = 0;
        }
        cur.push(ev);
        size += ev.length + 1;
      });
      out.push(`{"batch":[${cur.join(",")}]}`);
      return out;
    };
    // One untimed warm-up step (JIT, prepared statements, the task cache).
    for (const b of batchesFor("warm")) await post(b);
    const seconds: number[] = [];
    let bytes = 0;
    let requests = 0;
    for (let rep = 0; rep < REPS; rep++) {
      const batches = batchesFor(`run-${rep}`);
      bytes = batches.reduce((s, b) => s + b.length, 0);
      requests = batches.length;
      const t0 = performance.now();
      for (const b of batches) await post(b);
      seconds.push((performance.now() - t0) / 1000);
    }
    server.stop();
    const s = median(seconds);
    console.log(
      JSON.stringify({
        groups: G,
        samples: N,
        rollouts: G * N,
        agent_turns: turns,
        turns_per_rollout: Math.round((turns / (G * N)) * 10) / 10,
        step_mb: Math.round((bytes / 1048576) * 10) / 10,
        requests,
        step_seconds_median: Math.round(s * 1000) / 1000,
        step_seconds: seconds.map((x) => Math.round(x * 1000) / 1000),
        turns_per_s_median: Math.round(turns / s),
        target_turns_per_s: 50_000,
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
