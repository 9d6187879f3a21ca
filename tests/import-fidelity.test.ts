/**
 * Import fidelity with real τ²-bench results files from other people (issue 20, items 11–13):
 * domain and task checks, re-scoring with recorded vs recomputed rewards, duplicate rollout
 * ids, trials and τ² fields kept through import → export, and recorded tool outputs compared
 * with the environment's on replay.
 *
 * Real files: TAU2_RESULTS_DIR, else `<τ² data dir>/results`. Tests that need them skip with a
 * visible notice when absent (see README "Import" for where the files come from).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { rollouts as rolloutsTable } from "../db/schema";
import { loadDomainDir } from "../lib/airline/load";
import { TAU2_DIR } from "../lib/airline/testing/fixture";
import { importExperiment } from "../lib/experiments/import";
import { exportExperiment } from "../lib/experiments/export";
import { importTau2Results } from "../lib/interchange/tau2-import";
import { parseRolloutJsonl } from "../lib/interchange/rollout-jsonl";
import { compareToolOutputs } from "../lib/rollouts/compare-tool-outputs";
import { oracleResults as buildOracleResults } from "./tau2-results-fixture";
import { oracleTrajectory } from "../lib/rollouts/evaluate";
import { ValidationError } from "../lib/errors/app-error";
import { createTempDb, ROOT, type TempDb } from "./helpers";
import { makeTempDir } from "./temp-dir";

const RESULTS_DIR = process.env.TAU2_RESULTS_DIR ?? join(TAU2_DIR, "results");
/** A real 1-trial airline run (gpt-4.1 agent, 20 tasks, 148 tool calls) and a real positional leaderboard file. */
const REAL = join(RESULTS_DIR, "gpt-4.1_airline_1trial.json");
const POSITIONAL = join(RESULTS_DIR, "toolorchestra_airline_v2.json");
const haveTau2 = existsSync(TAU2_DIR);
const haveReal = haveTau2 && existsSync(REAL);
if (!haveReal) console.warn(`[import-fidelity] real τ² results file ${REAL} absent: skipping the tests that need it`);

const readJson = (f: string) => JSON.parse(readFileSync(f, "utf8")) as Record<string, unknown>;

function expectRefused(fn: () => unknown, ...fragments: string[]): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err, "expected the import to be refused").toBeInstanceOf(ValidationError);
  for (const f of fragments) expect((err as Error).message).toContain(f);
}

describe.skipIf(!haveTau2)("import checks (synthetic files built from the real τ² tasks)", () => {
  let t: TempDb;
  const domain = haveTau2 ? loadDomainDir(TAU2_DIR) : null;
  beforeAll(() => {
    t = createTempDb();
  });
  afterAll(() => t.cleanup());

  const oracleResults = (ids: string[], opts: { domain?: string; recordedReward?: number } = {}) => buildOracleResults(TAU2_DIR, ids, opts);

  it("refuses a telecom or mock-domain results file with a clear message", () => {
    const text = JSON.stringify(oracleResults(["7"], { domain: "telecom" }));
    expectRefused(() => importExperiment(t.db, { from: "tau2", text, name: "telecom" }), "telecom", "airline");
    const mock = JSON.stringify(oracleResults(["7"], { domain: "mock" }));
    expectRefused(() => importExperiment(t.db, { from: "tau2", text: mock, name: "mock" }), '"mock"');
  });

  it("refuses unknown task ids, naming the simulation and the id (no group with reward 1)", () => {
    const doc = oracleResults(["7", "8"]);
    doc.simulations[1].task_id = "999";
    expectRefused(() => importExperiment(t.db, { from: "tau2", text: JSON.stringify(doc), name: "unknown" }), 'simulation 1 (id sim-1, task_id "999")', 'unknown task id "999"');
  });

  it("refuses a simulation whose recorded action checks are another task's gold actions", () => {
    const doc = oracleResults(["7", "8"]);
    const gold8 = domain!.tasks.find((x) => x.id === "8")!.evaluation_criteria!.actions!;
    // Simulation 0 says task 7 but recorded task 8's action checks (a file numbered by position).
    (doc.simulations[0].reward_info as Record<string, unknown>).action_checks = gold8.map((a) => ({ action: a, action_match: true, action_reward: 1 }));
    expectRefused(() => importExperiment(t.db, { from: "tau2", text: JSON.stringify(doc), name: "positional" }), "simulation 0", `recorded action check ${gold8[0].action_id}`);
  });

  it("re-scores every trajectory: recorded 0.0 vs recomputed 1.0 is stored and reported", () => {
    const text = JSON.stringify(oracleResults(["7", "8", "9"], { recordedReward: 0 }));
    const res = importExperiment(t.db, { from: "tau2", text, name: "rescore", domainDir: TAU2_DIR });
    expect(res.report.rescored).toBe(3);
    expect(res.report.reward_disagreements).toBe(3);
    expect(res.report.disagreements[0]).toMatchObject({ recorded: 0, recomputed: 1 });
    const rows = t.db.select().from(rolloutsTable).where(eq(rolloutsTable.experimentId, res.experiment_id)).all();
    expect(rows.map((r) => [r.recordedReward, r.recomputedReward, r.reward, r.outcome])).toEqual([[0, 1, 1, 1], [0, 1, 1, 1], [0, 1, 1, 1]]);
    // Without a base state nothing is re-scored, and the report says why.
    const none = importExperiment(t.db, { from: "tau2", text, name: "rescore without state" });
    expect(none.report.rescored).toBe(0);
    expect(none.report.not_rescored_reason).toContain("domain directory");
  });

  it("compares recorded tool outputs on import: 0 differences in τ² form, exactly the one altered output", () => {
    const doc = oracleResults(["7", "8", "9"]);
    const clean = importExperiment(t.db, { from: "tau2", text: JSON.stringify(doc), name: "outputs", domainDir: TAU2_DIR });
    const compared = clean.report.tool_outputs!.compared;
    expect(compared).toBeGreaterThan(3);
    expect(clean.report.tool_outputs!.differences).toBe(0);
    const tool = doc.simulations[1].messages.find((m) => m.role === "tool") as { content: string };
    tool.content = tool.content.replace("{", "{ ");
    const altered = importExperiment(t.db, { from: "tau2", text: JSON.stringify(doc), name: "outputs altered", domainDir: TAU2_DIR });
    expect(altered.report.tool_outputs).toMatchObject({ compared, differences: 1, rollouts_with_differences: 1 });
    expect(altered.report.tool_outputs!.first[0]).toMatchObject({ source_id: "r-sim-1", recorded: tool.content });
    const rows = t.db.select().from(rolloutsTable).where(eq(rolloutsTable.experimentId, altered.experiment_id)).all();
    expect(rows.map((r) => r.toolOutputDiffs)).toEqual([0, 1, 0]);
  });

  it("JSON lines: unknown task ids are refused against --tasks; known ones are re-scored on the domain's state", () => {
    const tasks = domain!.tasks;
    const row = (id: string, taskId: string, reward: number) => ({
      rollout_id: id, task_id: taskId, group_id: `g-${taskId}`, sample_index: 0, outcome: reward, reward, termination: "user_stop",
      messages: oracleTrajectory(tasks.find((x) => x.id === taskId) ?? tasks[0], domain!.state),
    });
    const bad = [row("r-1", "7", 1), row("r-2", "nope", 1)].map((x) => JSON.stringify(x)).join("\n");
    expectRefused(() => importExperiment(t.db, { from: "jsonl", text: bad, name: "jsonl unknown", tasks }), 'rollout 2 (r-2): unknown task id "nope"');
    const good = [row("r-1", "7", 0), row("r-2", "8", 1)].map((x) => JSON.stringify(x)).join("\n");
    const res = importExperiment(t.db, { from: "jsonl", text: good, name: "jsonl rescored", tasks, domainDir: TAU2_DIR });
    expect(res.report).toMatchObject({ rescored: 2, reward_disagreements: 1, tool_outputs: { differences: 0 } });
    expect(res.report.disagreements[0]).toMatchObject({ source_id: "r-1", recorded: 0, recomputed: 1 });
    // Without task definitions nothing can be re-scored, and the report says so.
    const bare = importExperiment(t.db, { from: "jsonl", text: good, name: "jsonl bare" });
    expect(bare.report.rescored).toBe(0);
    expect(bare.report.not_rescored_reason).toContain("--tasks");
  });

  it("rejects rollout JSON lines with duplicate rollout ids, naming the lines", () => {
    const r = { rollout_id: "r-a", task_id: "7", group_id: "g", sample_index: 0, outcome: 1, reward: 1, termination: "user_stop", messages: [] };
    const text = [r, { ...r, rollout_id: "r-b" }, r, { ...r, rollout_id: "r-b" }].map((x) => JSON.stringify(x)).join("\n");
    expect(parseRolloutJsonl(text).errors).toEqual([
      { line: 3, message: 'duplicate rollout_id "r-a" (first on line 1)' },
      { line: 4, message: 'duplicate rollout_id "r-b" (first on line 2)' },
    ]);
    expectRefused(() => importExperiment(t.db, { from: "jsonl", text, name: "dups" }), "2 duplicate rollout id(s)", "line 3", "line 4");
  });
});

describe.skipIf(!haveTau2)("CLI: writ evaluate --compare-tool-outputs", () => {
  it("reports 0 differences for the environment's own outputs and names the one altered output", () => {
    const domain = loadDomainDir(TAU2_DIR);
    const messages = oracleTrajectory(domain.tasks.find((x) => x.id === "7")!, domain.state);
    const dir = makeTempDir("writ-eval-compare-");
    const file = join(dir, "rollout.json");
    const run = () =>
      spawnSync("npx", ["tsx", "bin/writ.ts", "evaluate", "--domain-dir", TAU2_DIR, "--task", "7", "--trajectory", file, "--compare-tool-outputs"], {
        cwd: ROOT, encoding: "utf8", timeout: 120_000, env: { ...process.env, TAU2_DATA_DIR: "" },
      });
    writeFileSync(file, JSON.stringify({ task_id: "7", termination: "user_stop", messages }));
    const ok = run();
    expect(ok.status, ok.stderr).toBe(0);
    const okOut = JSON.parse(ok.stdout) as { tool_outputs: { compared: number; differences: number } };
    expect(okOut.tool_outputs.compared).toBe(messages.filter((m) => m.role === "tool").length);
    expect(okOut.tool_outputs.differences).toBe(0);
    const idx = messages.findIndex((m) => m.role === "tool");
    const altered = messages.map((m, i) => (i === idx && m.role === "tool" ? { ...m, content: m.content + "x" } : m));
    writeFileSync(file, JSON.stringify({ task_id: "7", termination: "user_stop", messages: altered }));
    const bad = run();
    const badOut = JSON.parse(bad.stdout) as { tool_outputs: { differences: number; first: { message_index: number }[] } };
    expect(badOut.tool_outputs.differences).toBe(1);
    expect(badOut.tool_outputs.first[0].message_index).toBe(idx);
  });
});

describe.skipIf(!haveReal)("real τ² results files", () => {
  let t: TempDb;
  beforeAll(() => {
    t = createTempDb();
  });
  afterAll(() => t.cleanup());

  it("replays the recorded tool outputs of a real run byte for byte (0 differences), and finds one altered output", () => {
    const { state } = loadDomainDir(TAU2_DIR);
    const { rollouts } = importTau2Results(readJson(REAL));
    let compared = 0;
    let differences = 0;
    for (const r of rollouts) {
      const c = compareToolOutputs(r.messages, state);
      compared += c.compared;
      differences += c.differences;
    }
    expect(compared).toBe(148);
    expect(differences).toBe(0);

    const doc = readJson(REAL) as { simulations: { messages: { role: string; content: string }[] }[] };
    const tool = doc.simulations[3].messages.find((m) => m.role === "tool")!;
    tool.content = tool.content.replace(/"/, "'");
    let found = 0;
    let first = "";
    for (const r of importTau2Results(doc).rollouts) {
      const c = compareToolOutputs(r.messages, state);
      found += c.differences;
      if (c.first[0]) first = c.first[0].diff;
    }
    expect(found).toBe(1);
    expect(first).toContain("-");
  });

  it("refuses the published positional leaderboard file, naming the simulations", () => {
    if (!existsSync(POSITIONAL)) return void console.warn(`[import-fidelity] ${POSITIONAL} absent`);
    expectRefused(() => importExperiment(t.db, { from: "tau2", text: readFileSync(POSITIONAL, "utf8"), name: "positional" }), "simulation 0 (id", 'task_id "0"', "27_0");
  });

  it("keeps trial numbers and round-trips every τ² field it understands through import → export", () => {
    const original = readJson(REAL) as { timestamp: string; info: Record<string, unknown>; tasks: { id: string }[]; simulations: Record<string, unknown>[] };
    // Trials 0 and 2 of one task (a run with a missing trial) must stay 0 and 2.
    const sims = original.simulations;
    const twin: Record<string, unknown> = { ...sims[0], id: `${String(sims[0].id)}-t2`, trial: 2 };
    const doc = { ...original, simulations: [...sims, twin] };
    const res = importExperiment(t.db, { from: "tau2", text: JSON.stringify(doc), name: "round trip", domainDir: TAU2_DIR });
    expect(res.report.tool_outputs).toMatchObject({ compared: 148 + countTools(sims[0]), differences: 0 });
    const trials = t.db.select().from(rolloutsTable).where(eq(rolloutsTable.taskId, String(sims[0].task_id))).all()
      .filter((r) => r.experimentId === res.experiment_id).map((r) => r.sourceTrial).sort();
    expect(trials).toEqual([0, 2]);

    const exported = JSON.parse([...exportExperiment(t.db, res.experiment_id, "tau2").chunks].join("")) as typeof original;
    expect(exported.timestamp).toBe(original.timestamp);
    expect(exported.info).toEqual(original.info); // git_commit, num_trials, max_steps, max_errors, seed, user/agent/environment info
    const taskById = new Map(exported.tasks.map((x) => [x.id, x]));
    for (const task of original.tasks) expect(taskById.get(task.id)).toEqual(task);
    const byId = new Map(exported.simulations.map((s) => [s.id, s]));
    /** Fields not round-tripped: message raw_data (provider payloads), and keys τ² v0.x never wrote. */
    const NOT_KEPT = new Set(["raw_data", "reasoning", "errors"]);
    for (const sim of doc.simulations) {
      const out = byId.get(sim.id)!;
      expect(out, `simulation ${String(sim.id)}`).toBeDefined();
      for (const field of ["id", "task_id", "timestamp", "start_time", "end_time", "duration", "termination_reason", "agent_cost", "user_cost", "reward_info", "trial", "seed"]) {
        expect(out[field], `${String(sim.id)}.${field}`).toEqual(sim[field]);
      }
      const inMsgs = sim.messages as Record<string, unknown>[];
      const outMsgs = out.messages as Record<string, unknown>[];
      expect(outMsgs.length).toBe(inMsgs.length);
      inMsgs.forEach((m, i) => {
        for (const [k, v] of Object.entries(m)) {
          if (NOT_KEPT.has(k)) continue;
          expect(outMsgs[i][k], `${String(sim.id)}.messages[${i}].${k}`).toEqual(v);
        }
      });
    }
  });
});

function countTools(sim: Record<string, unknown>): number {
  return (sim.messages as { role: string }[]).filter((m) => m.role === "tool").length;
}

describe.skipIf(!haveReal)("CLI: writ import report and writ tau2 replay --results --compare-tool-outputs", () => {
  const writ = (env: Record<string, string>, ...args: string[]) =>
    spawnSync("npx", ["tsx", "bin/writ.ts", ...args], { cwd: ROOT, encoding: "utf8", timeout: 120_000, env: { ...process.env, TAU2_DATA_DIR: "", ...env } });

  it("replays a real results file with 0 tool-output differences, and reports the one altered output", () => {
    const ok = writ({}, "tau2", "replay", "--domain-dir", TAU2_DIR, "--results", REAL, "--compare-tool-outputs");
    expect(ok.status, ok.stderr).toBe(0);
    const lines = ok.stdout.trim().split("\n").map((l) => JSON.parse(l) as { tool_outputs: { compared: number; differences: number } });
    expect(lines).toHaveLength(20);
    expect(lines.reduce((s, l) => s + l.tool_outputs.compared, 0)).toBe(148);
    expect(lines.reduce((s, l) => s + l.tool_outputs.differences, 0)).toBe(0);

    const doc = readJson(REAL) as { simulations: { messages: { role: string; content: string }[] }[] };
    const tool = doc.simulations[5].messages.find((m) => m.role === "tool")!;
    tool.content += " ";
    const dir = makeTempDir("writ-replay-");
    const altered = join(dir, "altered.json");
    writeFileSync(altered, JSON.stringify(doc));
    const bad = writ({}, "tau2", "replay", "--domain-dir", TAU2_DIR, "--results", altered, "--compare-tool-outputs");
    expect(bad.status, bad.stderr).toBe(0);
    const badLines = bad.stdout.trim().split("\n").map((l) => JSON.parse(l) as { tool_outputs: { differences: number; first: { diff: string }[] } });
    expect(badLines.reduce((s, l) => s + l.tool_outputs.differences, 0)).toBe(1);
    expect(badLines[5].tool_outputs.first[0].diff).toContain("@ char");
    expect(bad.stderr).toContain("1 of 148 recorded tool outputs differ");

    const db = join(dir, "writ.db");
    const imp = writ({ WRIT_DB: db }, "import", "--from", "tau2", altered, "--experiment", "real", "--domain-dir", TAU2_DIR);
    expect(imp.status, imp.stderr).toBe(0);
    const out = JSON.parse(imp.stdout) as { rollouts: number; report: { rescored: number; tool_outputs: { differences: number } } };
    expect(out.rollouts).toBe(20);
    expect(out.report.rescored).toBe(20);
    expect(out.report.tool_outputs.differences).toBe(1);
  });
});
