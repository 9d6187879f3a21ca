/**
 * Issue 15 §5, first proof: a synthetic training run (40 steps of simulated groups whose agent
 * skill rises with the step: sloppy → average → expert) streams through the Python client into a
 * real server process, which the test SIGKILLs once mid-stream and restarts on the same port.
 * Afterwards: every group exactly once, counts equal what was sent, the pass rate rises with the
 * step, and the workbench's numbers on the run equal `writ analyze` on the same rollouts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeDb, openDb, type Db } from "../db/client";
import { runAnalysis } from "../lib/calibration/analysis";
import { clearCalibrationStore } from "../lib/calibration/experiment-data";
import { simulateStep, type SimulatedGroup } from "../lib/ingest/simulate";
import { listRunSteps } from "../lib/ingest/store/training-runs";
import { NAIVE_V5 } from "../lib/rewards";
import { isSuccess } from "../lib/rollouts/evaluate";
import { insertTaskSet, synthesizeSmall } from "./experiments-fixtures";
import { ROOT, tsxArgs } from "./helpers";

const STEPS = 40;
const SAMPLES = 4;
let dir: string;
let dbPath: string;
let port: number;
let groups: SimulatedGroup[];
const tasks = synthesizeSmall([{ writes: 1, evidence: 2, count: 2 }, { writes: 2, evidence: 4, count: 2 }], 5);

/** Deep equality with a relative tolerance of 1e-9 on numbers (summation order may differ). */
function expectClose(a: unknown, b: unknown, path: string): void {
  if (typeof a === "number" && typeof b === "number") {
    expect(Math.abs(a - b), path).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
  } else if (a && b && typeof a === "object" && typeof b === "object") {
    expect(Object.keys(a).sort(), path).toEqual(Object.keys(b).sort());
    for (const k of Object.keys(b)) expectClose((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
  } else expect(a, path).toEqual(b);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

function startServer(): Promise<ChildProcess> {
  const [cmd, args] = tsxArgs(join(ROOT, "tests", "ingest-server.ts"));
  const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, WRIT_DB: dbPath, INGEST_PORT: String(port), WRIT_ACCESS_TOKEN: "" }, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      if (out.includes("listening")) resolve(child);
    });
    child.on("exit", (code) => reject(new Error(`server exited ${code} before listening`)));
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "writ-ingest-proof-"));
  dbPath = join(dir, "writ.db");
  const db = openDb(dbPath);
  insertTaskSet(db, "proof-set", tasks);
  closeDb(db);
  groups = [];
  for (let step = 0; step < STEPS; step++) groups.push(...(await simulateStep(tasks, step, STEPS, SAMPLES, 3)));
  writeFileSync(join(dir, "groups.jsonl"), groups.map((g) => JSON.stringify(g)).join("\n") + "\n");
  port = await freePort();
}, 120_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("a training run streamed through the Python client, server killed mid-stream", () => {
  it("lands every group exactly once, pass rate rising, workbench = writ analyze", async () => {
    let server = await startServer();
    let killed = false;
    const client = spawn("python3", [join(ROOT, "clients/python/tests/stream_run.py")], {
      cwd: ROOT,
      env: {
        ...process.env,
        PYTHONPATH: join(ROOT, "clients/python"),
        PYTHONDONTWRITEBYTECODE: "1",
        WRIT_TEST_URL: `http://127.0.0.1:${port}`,
        WRIT_TEST_GROUPS: join(dir, "groups.jsonl"),
        WRIT_TEST_RUN_ID: "proof-run",
        WRIT_TEST_TASK_SET: "proof-set",
        WRIT_LAB_SPOOL_DIR: join(dir, "spool"),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    client.stderr.on("data", (d) => (out += d));
    const restarted = new Promise<void>((resolve, reject) => {
      client.stdout.on("data", (d) => {
        out += d;
        if (!killed && /step 15\b/.test(out)) {
          killed = true;
          server.kill("SIGKILL");
          // Down for a while: the client's retries run out and it spools, then replays.
          setTimeout(() => startServer().then((s) => ((server = s), resolve()), reject), 2500);
        }
      });
    });
    const code = await new Promise<number | null>((resolve) => client.on("exit", resolve));
    await restarted;
    server.kill("SIGTERM");
    if (code !== 0) console.error(out);
    expect(code).toBe(0);
    expect(killed).toBe(true);
    const summary = JSON.parse(out.trim().split("\n").pop()!) as { groups: number; trajectories: number; experiment_id: number; spool_writes: number };
    expect(summary.groups).toBe(groups.length);
    // The outage outlasted the client's retries: it spooled, and the replay delivered everything.
    expect(summary.spool_writes).toBeGreaterThan(0);

    const db: Db = openDb(dbPath);
    try {
      const c = db.$client;
      const exp = c.prepare(`SELECT id, status, source, rollouts_done FROM experiments WHERE external_run_id = 'proof-run'`).get() as { id: number; status: string; source: string; rollouts_done: number };
      expect(exp).toMatchObject({ status: "completed", source: "training", rollouts_done: summary.trajectories });
      // Every group exactly once: as many rows as sent, one per client group id.
      const g = c.prepare(`SELECT count(*) AS n, count(DISTINCT external_id) AS d FROM groups WHERE experiment_id = ?`).get(exp.id) as { n: number; d: number };
      expect(g).toEqual({ n: groups.length, d: groups.length });
      const r = c.prepare(`SELECT count(*) AS n, count(DISTINCT external_id) AS d FROM rollouts WHERE experiment_id = ?`).get(exp.id) as { n: number; d: number };
      expect(r).toEqual({ n: summary.trajectories, d: summary.trajectories });
      const messages = c.prepare(`SELECT count(*) FROM rollout_messages m JOIN rollouts r ON r.id = m.rollout_id WHERE r.experiment_id = ?`).pluck().get(exp.id);
      expect(messages).toBe(groups.reduce((s, x) => s + x.trajectories.reduce((t, y) => t + y.messages.length, 0), 0));

      // Pass rate rises with the step: first ten steps below the middle, middle below the last ten.
      const steps = listRunSteps(db, exp.id);
      expect(steps.map((s) => s.step)).toEqual(Array.from({ length: STEPS }, (_, i) => i));
      const rate = (from: number, to: number) => {
        const part = steps.filter((s) => s.step >= from && s.step < to);
        return part.reduce((s, x) => s + x.passed, 0) / part.reduce((s, x) => s + x.rollouts, 0);
      };
      expect(rate(0, 10)).toBeLessThan(rate(15, 25));
      expect(rate(15, 25)).toBeLessThan(rate(30, 40));

      // The workbench on the run = writ analyze on the same rollouts.
      const jsonl = groups.flatMap((grp) =>
        grp.trajectories.map((t, i) => {
          const task = tasks.find((x) => x.id === grp.task_id)!;
          return JSON.stringify({
            rollout_id: t.trajectory_id,
            task_id: grp.task_id,
            group_id: `${grp.step}:${grp.task_id}`,
            sample_index: i,
            outcome: isSuccess(t.reward) ? 1 : 0,
            reward: t.reward,
            termination: t.termination,
            messages: t.messages,
            gold_actions: (task.evaluation_criteria?.actions ?? []).map((a) => ({ name: a.name, arguments: a.arguments })),
            metadata: { writ: task.writ },
          });
        }),
      );
      writeFileSync(join(dir, "sent.jsonl"), jsonl.join("\n") + "\n");
      writeFileSync(join(dir, "naive.json"), JSON.stringify(NAIVE_V5));
      const [cmd, args] = tsxArgs(join(ROOT, "bin", "writ.ts"));
      const cli = spawnSync(cmd, [...args, "analyze", "--rollouts", join(dir, "sent.jsonl"), "--config", join(dir, "naive.json")], { cwd: ROOT, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
      expect(cli.status, cli.stderr).toBe(0);
      const ref = JSON.parse(cli.stdout) as Record<string, unknown>;
      clearCalibrationStore();
      const mine = runAnalysis(db, exp.id, { config: NAIVE_V5 }).analysis as unknown as Record<string, unknown>;
      expect(mine.n_turns as number).toBeGreaterThan(1000);
      for (const key of ["n_turns", "n_rollouts", "n_rollouts_rho", "mismatches", "tiers", "dead_turn_pct", "corr_adv_outcome", "gradient_share", "sign_disagreement", "suggestion"]) {
        expect(ref[key], key).toBeDefined();
        expectClose(mine[key], ref[key], key);
      }
    } finally {
      closeDb(db);
    }
  }, 240_000);
});
