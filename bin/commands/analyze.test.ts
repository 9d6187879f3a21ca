import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeRollout } from "../../lib/rewards/test-helpers";
import { CliError } from "../cli-kit";
import { loadConfig, parseRolloutLines } from "./analyze";
import { makeTempDir } from "../../tests/temp-dir";

const dir = makeTempDir("writ-analyze-");
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

function rolloutsJsonl(): string {
  const gold = [{ name: "cancel_reservation", arguments: { reservation_id: "R1" } }];
  const lines: string[] = [];
  for (let g = 0; g < 2; g++)
    for (let j = 0; j < 4; j++) {
      const pass = (g + j) % 2 === 1;
      const turns = [
        [{ name: "get_reservation_details", args: { reservation_id: "R1" } }],
        pass ? [{ name: "cancel_reservation", args: { reservation_id: "R1" } }] : [{ name: "cancel_reservation", args: { reservation_id: "R9" }, error: true }],
        "Done.",
      ];
      lines.push(JSON.stringify(makeRollout(turns, { rollout_id: `r${g}${j}`, group_id: `g${g}`, outcome: pass ? 1 : 0, gold_actions: gold })));
    }
  return lines.join("\n") + "\n";
}

describe("writ analyze helpers", () => {
  it("config errors are CliErrors naming the field", () => {
    expect(() => loadConfig(file("bad.json", '{"gamma": 2}'))).toThrow(CliError);
    expect(() => loadConfig(file("bad2.json", '{"tiers": {"bogus": 1}}'))).toThrow(/tiers\.bogus/);
    expect(() => loadConfig(file("bad3.json", "{oops"))).toThrow(/malformed JSON/);
    expect(() => loadConfig(join(dir, "missing.json"))).toThrow(/cannot read/);
  });
  it("rollout lines are validated with the line number and field", () => {
    expect(parseRolloutLines(rolloutsJsonl(), "f")).toHaveLength(8);
    expect(() => parseRolloutLines('{"rollout_id": 1}\n', "f.jsonl")).toThrow(/f\.jsonl:1: rollout_id/);
    expect(() => parseRolloutLines("\n{nope\n", "f.jsonl")).toThrow(/f\.jsonl:2: not valid JSON/);
  });
});

describe("writ analyze (process)", () => {
  const run = (...args: string[]) => spawnSync("npx", ["tsx", "bin/writ.ts", "analyze", ...args], { encoding: "utf8", cwd: process.cwd() });

  it("prints the contract's keys as one JSON document", () => {
    const res = run("--rollouts", file("r.jsonl", rolloutsJsonl()), "--config", file("ok.json", '{"estimator": "mt_grpo"}'));
    expect(res.status).toBe(0);
    const out = JSON.parse(res.stdout);
    for (const key of ["tiers", "mismatches", "corr_adv_outcome", "dead_turn_pct", "dead_turn_pct_cancel", "gradient_share", "groups", "corr_mean_reward_outcome", "suggestion", "stop_rule_met", "turns"]) {
      expect(out).toHaveProperty(key);
    }
    for (const key of ["rho", "ci", "p", "n_present", "p_present_pass", "p_present_fail", "gap_pp", "mean_ai", "mean_adv", "intended_sign", "aligned"]) {
      expect(out.tiers.gold).toHaveProperty(key);
    }
    expect(out.turns).toHaveLength(24);
    expect(out.turns[1]).toMatchObject({ rollout_id: "r00", k: 1, tier: "error" });
    expect(out.tiers.gold.rho).toBe(1);
  });

  it("a bad config exits 2 with one line naming the field", () => {
    const res = run("--rollouts", file("r2.jsonl", rolloutsJsonl()), "--config", file("neg.json", '{"ddof": -1}'));
    expect(res.status).toBe(2);
    expect(res.stdout).toBe("");
    expect(res.stderr.trim().split("\n")).toHaveLength(1);
    expect(res.stderr).toMatch(/ddof/);
  });
});
