/**
 * Ingestion end to end (issue 15 §6). One "training step" of G groups × N simulated trajectories
 * (default 64 × 8; the simulated agents average ~29 agent turns per trajectory) is played once,
 * then ingested three ways, each REPS times as fresh runs (new run ids, so every group is new and
 * really stored) after one untimed warm-up run:
 *  - in-process: ≤ 4 MB batches (JSON.parse of each included) through `ingestEvents` (the route's
 *    path: the ingest thread stores beside the calling thread, lib/ingest/store/thread.ts) and
 *    through `ingestBatch` (everything on the calling thread, "current_one_thread");
 *  - http: a plain Node client (fetch) → POST /api/v1/ingest → the real route handler in a server
 *    process of its own (tests/ingest-server.ts);
 *  - python: the `writ_lab` client (clients/python, bench/ingest_python.py) → the same server,
 *    timed from `writ_lab.init` to the return of `run.finish()` (everything answered).
 * The server uses the ingest thread unless WRIT_INGEST_THREAD=0 is set for the bench.
 * Each is measured on the code as it is ("current") and on a same-run baseline: the ingestion files
 * of BENCH_BASELINE_REF (git; default the commit before the ingestion optimisation) laid over a
 * copy of the current tree, so both see the same schema, evaluator and machine load. The runs of
 * the two alternate. Prints agent turns/s (median over runs), the ratio current / baseline, the
 * step's seconds and the 1-minute load average before and after.
 * Target: ≥ 50,000 turns/s end to end (a step of 64 × 8 × 30 turns in ≤ 0.3 s).
 * Env: BENCH_GROUPS (64), BENCH_SAMPLES (8), BENCH_REPS (3), BENCH_BASELINE_REF, BENCH_BASELINE=0
 * (skip the baseline). `--quick`: 16 groups, 2 runs.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { closeDb, openDb } from "../db/client";
import { simulateStep, type SimulatedGroup } from "../lib/ingest/simulate";
import { synthesizeTasks, BEHAVIORS } from "../lib/synthesis";
import { createTaskSet, insertTasks } from "../lib/synthesis-runs/store";
import { MAX_INGEST_BYTES } from "../lib/ingest/events";

const ROOT = resolve(__dirname, "..");
const quick = process.argv.includes("--quick");
const G = Number(process.env.BENCH_GROUPS ?? (quick ? 16 : 64));
const N = Number(process.env.BENCH_SAMPLES ?? 8);
const REPS = Math.max(1, Number(process.env.BENCH_REPS ?? (quick ? 2 : 3)));
/** The last commit before the ingestion fast path (message bodies serialised once, multi-row message inserts). */
const BASELINE_REF = process.env.BENCH_BASELINE_REF ?? "6efc93a19922d94d99a3496438ed1836a85f16ed";
/** The files of the ingestion path that the baseline takes from BASELINE_REF. */
const BASELINE_FILES = ["lib/ingest/events.ts", "lib/ingest/ingest.ts", "app/api/v1/ingest/route.ts", "clients/python/writ_lab/client.py"];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
const load1 = () => round(loadavg()[0], 2);
const log = (m: string) => process.stderr.write(`[bench:ingest] ${m}\n`);

interface Tree {
  /** "current", "baseline", or "current_one_thread" (in-process `ingestBatch` of the current code). */
  name: string;
  root: string;
  dbPath: string;
  setId: number;
}

/** A copy of the working tree (sources only; node_modules linked) with BASELINE_FILES as of BASELINE_REF; null when git cannot give them. */
function baselineTree(dir: string): string | null {
  if (process.env.BENCH_BASELINE === "0") return null;
  try {
    const root = join(dir, "baseline");
    const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20 })
      .split("\n")
      .filter((f) => f && !/^(node_modules|\.next|data)\//.test(f));
    execFileSync("tar", ["-cf", join(dir, "tree.tar"), "--ignore-failed-read", "-T", "-"], { cwd: ROOT, input: files.join("\n"), stdio: ["pipe", "ignore", "ignore"] });
    mkdirSync(root);
    execFileSync("tar", ["-xf", join(dir, "tree.tar"), "-C", root]);
    symlinkSync(join(ROOT, "node_modules"), join(root, "node_modules"));
    for (const f of BASELINE_FILES) {
      const text = execFileSync("git", ["show", `${BASELINE_REF}:${f}`], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20 });
      mkdirSync(dirname(join(root, f)), { recursive: true });
      writeFileSync(join(root, f), text);
    }
    return root;
  } catch (err) {
    log(`no baseline (${(err as Error).message.split("\n")[0]})`);
    return null;
  }
}

async function startServer(root: string, dbPath: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "tests", "ingest-server.ts")], {
    cwd: root,
    env: { ...process.env, WRIT_DB: dbPath, INGEST_PORT: "0", NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((ok, fail) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const m = out.match(/listening (\S+)/);
      if (m) ok(m[1]);
    });
    child.on("exit", (code) => fail(new Error(`server exited ${code}`)));
  });
  return { url, child };
}

/** The step as ≤ 4 MB request bodies for run `runId` (a run.upsert first). */
function batchesFor(groups: SimulatedGroup[], runId: string, setId: number): string[] {
  const out: string[] = [];
  let cur: string[] = [JSON.stringify({ id: `${runId}-up`, type: "run.upsert", body: { run_id: runId, task_set: setId, trainer: "bench" } })];
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
}

type Runner = (tree: Tree, runId: string) => Promise<number>;

/** REPS timed runs (after one warm-up) per tree, alternating trees; seconds per tree. */
async function measure(trees: Tree[], label: string, run: Runner): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (let rep = 0; rep <= REPS; rep++) {
    for (const tree of trees) {
      const s = await run(tree, `${label}-${rep}`);
      if (rep > 0) (out[tree.name] ??= []).push(s);
    }
  }
  return out;
}

/** Turns/s and step seconds (medians) of each variant, and each one's ratio to the baseline's step time. */
function summary(seconds: Record<string, number[]>, turns: number) {
  const base = seconds.baseline ? median(seconds.baseline) : null;
  const out: Record<string, unknown> = {};
  for (const [name, runs] of Object.entries(seconds)) {
    const s = median(runs);
    out[name] = {
      turns_per_s: Math.round(turns / s),
      step_seconds: round(s),
      ...(name !== "baseline" && base !== null ? { ratio_to_baseline: round(base / s, 2) } : {}),
      runs: runs.map((x) => round(x)),
    };
  }
  return out;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "writ-bench-ingest-"));
  const servers: ChildProcess[] = [];
  try {
    const loadStart = load1();
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
    const baseRoot = baselineTree(dir);
    const trees: Tree[] = [];
    for (const [name, root] of [["current", ROOT], ["baseline", baseRoot]] as const) {
      if (!root) continue;
      const dbPath = join(dir, `${name}.db`);
      const db = openDb(dbPath);
      const set = createTaskSet(db, { name: "bench-ingest", environmentId: null, source: "synthesized", status: "ready" });
      insertTasks(db, set.id, stepTasks);
      closeDb(db);
      trees.push({ name, root, dbPath, setId: set.id });
    }

    log(`playing ${G} × ${N} simulated trajectories …`);
    const groups = await simulateStep(stepTasks, 1, 2, N);
    let turns = 0;
    for (const g of groups) for (const t of g.trajectories) turns += t.messages.filter((m, i) => m.role === "assistant" && i > 0).length;
    const stepFile = join(dir, "step.json");
    writeFileSync(stepFile, JSON.stringify({ groups }));
    const sample = batchesFor(groups, "size", 1);

    // In-process, each on its own database in this process: the current code as the route runs
    // it (`ingestEvents`: the ingest thread beside this one when there are two cores), the
    // current `ingestBatch` on this thread alone, and the baseline's `ingestBatch`.
    log("in-process …");
    type Ingest = (db: unknown, batch: unknown[]) => { errors: unknown[] } | Promise<{ errors: unknown[] }>;
    const local = new Map<string, { ingestBatch: Ingest; db: ReturnType<typeof openDb> }>();
    const oneThreadPath = join(dir, "current_one_thread.db");
    copyFileSync(trees[0].dbPath, oneThreadPath);
    const localTrees: Tree[] = [trees[0], { ...trees[0], name: "current_one_thread", dbPath: oneThreadPath }, ...trees.slice(1)];
    const threaded = (await import("../lib/ingest/store/thread")) as { ingestEvents: Ingest; resetIngestThread: () => Promise<void> };
    for (const tree of localTrees) {
      const mod = (await import(join(tree.root, "lib/ingest/ingest.ts"))) as { ingestBatch: Ingest };
      local.set(tree.name, { ingestBatch: tree.name === "current" ? threaded.ingestEvents : mod.ingestBatch, db: openDb(tree.dbPath) });
    }
    const inProcess = await measure(localTrees, "local", async (tree, runId) => {
      const { ingestBatch, db } = local.get(tree.name)!;
      const bodies = batchesFor(groups, runId, tree.setId);
      const t0 = performance.now();
      for (const b of bodies) {
        const r = await ingestBatch(db, (JSON.parse(b) as { batch: unknown[] }).batch);
        if (r.errors.length) throw new Error(`${tree.name}: ${JSON.stringify(r.errors).slice(0, 300)}`);
      }
      return (performance.now() - t0) / 1000;
    });
    await threaded.resetIngestThread();
    for (const { db } of local.values()) closeDb(db);

    log("http …");
    const urls = new Map<string, string>();
    for (const tree of trees) {
      const s = await startServer(tree.root, tree.dbPath);
      servers.push(s.child);
      urls.set(tree.name, s.url);
    }
    const http = await measure(trees, "http", async (tree, runId) => {
      const bodies = batchesFor(groups, runId, tree.setId);
      const t0 = performance.now();
      for (const body of bodies) {
        const r = await fetch(`${urls.get(tree.name)}/api/v1/ingest`, { method: "POST", headers: { "content-type": "application/json" }, body });
        const j = (await r.json()) as { errors?: unknown[] };
        if (r.status !== 207 || j.errors?.length) throw new Error(`${tree.name}: ingest answered ${r.status}: ${JSON.stringify(j).slice(0, 300)}`);
      }
      return (performance.now() - t0) / 1000;
    });

    log("python client …");
    let python: Record<string, number[]> | null = null;
    try {
      execFileSync("python3", ["--version"], { stdio: "ignore" });
      python = await measure(trees, "py", async (tree, runId) => {
        const out = execFileSync("python3", [join(ROOT, "bench", "ingest_python.py"), urls.get(tree.name)!, stepFile, runId, String(tree.setId)], {
          env: { ...process.env, PYTHONPATH: join(tree.root, "clients", "python") },
          encoding: "utf8",
          maxBuffer: 1 << 20,
        });
        const r = JSON.parse(out) as { seconds: number; events: number };
        if (r.events !== groups.length + 2) throw new Error(`${tree.name}: the client sent ${r.events} events, expected ${groups.length + 2}`);
        return r.seconds;
      });
    } catch (err) {
      log(`python client skipped (${(err as Error).message.split("\n")[0]})`);
    }

    console.log(
      JSON.stringify({
        groups: G,
        samples: N,
        rollouts: G * N,
        agent_turns: turns,
        turns_per_rollout: round(turns / (G * N), 1),
        step_mb: round(sample.reduce((s, b) => s + b.length, 0) / 1048576, 1),
        requests: sample.length,
        reps: REPS,
        baseline_ref: baseRoot ? BASELINE_REF.slice(0, 12) : null,
        load_avg_1m: { start: loadStart, end: load1() },
        in_process: summary(inProcess, turns),
        http: summary(http, turns),
        python: python ? summary(python, turns) : null,
        target_turns_per_s: 50_000,
      }),
    );
  } finally {
    for (const s of servers) s.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
