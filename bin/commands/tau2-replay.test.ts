import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDomainDir } from "../../lib/airline/load";
import { TAU2_DIR } from "../../lib/airline/testing/fixture";
import { oracleTrajectory } from "../../lib/rollouts/evaluate";
import { makeTempDir } from "../../tests/temp-dir";

const root = join(__dirname, "..", "..");
const writ = (...args: string[]) => spawnSync("npx", ["tsx", "bin/writ.ts", ...args], { cwd: root, encoding: "utf8", timeout: 60_000, env: { ...process.env, TAU2_DATA_DIR: "" } });

const haveTau2 = existsSync(TAU2_DIR);
if (!haveTau2) console.warn(`[cli] τ² data folder ${TAU2_DIR} absent: skipping writ tau2 replay / writ evaluate CLI tests`);

describe.skipIf(!haveTau2)("CLI: writ tau2 replay and writ evaluate", () => {
  it("replays the original v0.1.0 task set: 50 JSON lines at reward 1", () => {
    const r = writ("tau2", "replay", "--domain-dir", TAU2_DIR, "--tasks", join(TAU2_DIR, "tau2-v0.1.0-release/tasks.json"));
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toHaveLength(50);
    for (const l of lines) expect(l).toEqual({ task_id: expect.any(String), reward: 1, db_match: true, communicate_match: true, error: null });
    expect(r.stderr).toContain("50/50");
  });

  it("scores a rollout file, and exits 2 with one line for bad input", () => {
    const domain = loadDomainDir(TAU2_DIR);
    const task = domain.tasks.find((t) => t.id === "7")!;
    const dir = makeTempDir("writ-eval-");
    const file = join(dir, "rollout.json");
    writeFileSync(file, JSON.stringify({ rollout_id: "r-1", task_id: "7", termination: "user_stop", messages: oracleTrajectory(task, domain.state) }));
    const r = writ("evaluate", "--domain-dir", TAU2_DIR, "--task", "7", "--trajectory", file);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ reward: 1, db_match: true, communicate_match: true, termination: "user_stop", read_recall: expect.any(Number), write_recall: 1 });
    expect(Array.isArray(out.policy_violations)).toBe(true);
    // the oracle never asks for confirmation, so the checker notices
    expect(out.policy_violations.map((v: { rule: string }) => v.rule)).toContain("no_confirmation");

    const bad = writ("evaluate", "--domain-dir", TAU2_DIR, "--task", "nope", "--trajectory", file);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe('writ: task "nope" not found');
  });
});
