/**
 * `writ ingest` end to end on the trainer fixtures (tests/fixtures/trainers): the real CLI process,
 * a real SQLite file with a task set holding the fixtures' task ids, in-process storing and a real
 * HTTP server (tests/ingest-server.ts, the route Next.js serves), replays, and --follow with
 * SIGINT and a resume from the state file.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, openDb, type Db } from "../../db/client";
import { insertTaskSet, synthesizeSmall } from "../../tests/experiments-fixtures";
import { makeTempDir } from "../../tests/temp-dir";

const root = join(__dirname, "../..");
const FIX = join(root, "tests/fixtures/trainers");
const dir = makeTempDir("writ-ingest-cli-");
const dbPath = join(dir, "writ.db");
let db: Db;

beforeAll(() => {
  db = openDb(dbPath);
  insertTaskSet(db, "trainer fixtures", synthesizeSmall([{ writes: 1, evidence: 1, count: 2 }]));
});
afterAll(() => closeDb(db));

const env = () => ({ ...process.env, WRIT_DB: dbPath, WRIT_ACCESS_TOKEN: "" });

function writ(args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "bin/writ.ts", "ingest", ...args], { cwd: root, env: env(), encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stderr: r.stderr, json: r.stdout.trim() ? (JSON.parse(r.stdout.trim().split("\n").pop()!) as Record<string, unknown>) : null };
}

function groupsOf(runId: string): { step: number; external_id: string; size: number }[] {
  return db.$client
    .prepare(
      "SELECT g.step, g.external_id, g.size FROM groups g JOIN experiments e ON e.id = g.experiment_id WHERE e.external_run_id = ? ORDER BY g.step, g.external_id",
    )
    .all(runId) as { step: number; external_id: string; size: number }[];
}

describe("writ ingest", () => {
  it("stores each format in-process, and a replay changes nothing", () => {
    const cases: [string, string, string[]][] = [
      ["prime-rl", "prime-rl/rollouts", []],
      ["verl", "verl/rollout_data", []],
      ["trl", "trl/completions", ["--num-generations", "2"]],
      ["tau2", "tau2/results-dir", ["--step", "2"]],
    ];
    for (const [format, path, extra] of cases) {
      const args = ["--from", format, join(FIX, path), "--run", `fx-${format}`, "--task-set", "trainer fixtures", ...extra];
      const first = writ(args);
      expect(first.stderr).not.toMatch(/rejected|skipped/);
      expect(first.status).toBe(0);
      expect(first.json).toMatchObject({ run_id: `fx-${format}`, groups_stored: format === "prime-rl" ? 3 : 2, rejected: 0, issues: 0 });
      if (format !== "prime-rl") continue;
      const again = writ(args); // one replay is enough: event ids and content hashes are format-independent
      expect(again.json).toMatchObject({ groups_stored: 0, groups_unchanged: 3 });
    }
    expect(groupsOf("fx-prime-rl")).toEqual([
      { step: 0, external_id: "train/0/g-a", size: 2 },
      { step: 0, external_id: "train/0/g-b", size: 2 },
      { step: 1, external_id: "train/1/g-a", size: 2 },
    ]);
    // The trainer's numbers are kept beside WRIT Lab's own.
    const row = db.$client.prepare("SELECT trainer_reward, trainer_advantage FROM rollouts WHERE external_id = 'train/5/g0:0'").get();
    expect(row).toEqual({ trainer_reward: 1.5, trainer_advantage: 0.7071 });
  });

  it("explains a missing run, a missing verl shim and a missing TRL group size", () => {
    const noRun = writ(["--from", "verl", join(FIX, "verl/rollout_data"), "--run", "never-created"]);
    expect(noRun.status).toBe(2);
    expect(noRun.stderr).toMatch(/does not exist: pass --task-set/);
    const noShim = writ(["--from", "verl", join(FIX, "verl/no-shim"), "--run", "fx-verl"]);
    expect(noShim.status).toBe(2);
    expect(noShim.stderr).toMatch(/writ_group/);
    const noN = writ(["--from", "trl", join(FIX, "trl/completions"), "--run", "fx-trl"]);
    expect(noN.stderr).toMatch(/--num-generations is required/);
  });

  it("sends the same envelope to a server with --server", async () => {
    process.env.WRIT_DB = dbPath;
    const { startIngestServer } = await import("../../tests/ingest-server");
    const server = await startIngestServer();
    try {
      const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, ["--import", "tsx", "bin/writ.ts", "ingest", "--from", "tau2", join(FIX, "tau2/results-json/results.json"), "--run", "fx-http", "--task-set", "trainer fixtures", "--server", server.url], { cwd: root, env: { ...env(), WRIT_DB: join(dir, "unused.db") } });
        let out = "";
        child.stdout.on("data", (d) => (out += d));
        child.on("close", (code) => resolve({ code, out }));
      });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.out)).toMatchObject({ groups_stored: 2, rejected: 0 });
      expect(groupsOf("fx-http").map((g) => g.external_id)).toEqual(["train/0/tau2-writ-c0-w1b1-0", "train/0/tau2-writ-c0-w1b1-1"]);
    } finally {
      await server.close();
    }
  });

  it("--follow ingests steps as they appear, stops on SIGINT, and resumes without duplicates", async () => {
    const run = makeTempDir("writ-follow-run-");
    const state = join(run, "state.json");
    const follow = () => {
      const child = spawn(process.execPath, ["--import", "tsx", "bin/writ.ts", "ingest", "--from", "verl", run, "--run", "fx-follow", "--task-set", "trainer fixtures", "--follow", "--poll-ms", "200", "--settle-ms", "0", "--state", state], { cwd: root, env: env() });
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      const done = new Promise<{ code: number | null; out: string }>((resolve) => child.on("close", (code) => resolve({ code, out })));
      return { child, done };
    };
    const waitFor = async (cond: () => boolean) => {
      for (let i = 0; i < 300 && !cond(); i++) await new Promise((r) => setTimeout(r, 100));
      expect(cond()).toBe(true);
    };
    const step3 = readFileSync(join(FIX, "verl/rollout_data/3.jsonl"), "utf8");
    mkdirSync(run, { recursive: true });
    writeFileSync(join(run, "3.jsonl"), step3);
    const a = follow();
    await waitFor(() => groupsOf("fx-follow").length === 2);
    writeFileSync(join(run, "4.jsonl"), step3.replace(/"step":3/g, '"step":4'));
    await waitFor(() => groupsOf("fx-follow").length === 4);
    a.child.kill("SIGINT");
    const ra = await a.done;
    expect(ra.code).toBe(0);
    expect(JSON.parse(ra.out)).toMatchObject({ groups_sent: 4, groups_stored: 4 });
    // Restart: steps 3 and 4 are not sent again; step 5 is.
    writeFileSync(join(run, "5.jsonl"), step3.replace(/"step":3/g, '"step":5'));
    const b = follow();
    await waitFor(() => groupsOf("fx-follow").length === 6);
    b.child.kill("SIGINT");
    const rb = await b.done;
    expect(JSON.parse(rb.out)).toMatchObject({ groups_sent: 2, groups_stored: 2, groups_unchanged: 0 });
    expect(groupsOf("fx-follow").map((g) => g.step)).toEqual([3, 3, 4, 4, 5, 5]);
  });
});
