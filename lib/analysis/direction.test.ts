/**
 * sign(0) is no direction: with one rollout per task every advantage is exactly 0, so a tier
 * with an intended sign has neither an aligned nor a misaligned mean advantage. It is counted
 * in `undefined_direction` (aligned: null), never in `mismatches`, and the stop rule says
 * "undecided" instead of asking for reweighting.
 */
import { describe, expect, it } from "vitest";
import { makeRewardConfig, NAIVE_V5, TIER_NAMES } from "../rewards";
import { makeRollout } from "../rewards/test-helpers";
import { analyze, compareEstimators, stopRuleState } from "./analyze";
import { buildColumnar } from "./columnar";
import { NO_DIRECTION_EPS, tierDirection } from "./direction";

const gold = [
  { name: "get_reservation_details", arguments: { reservation_id: "R1" } },
  { name: "cancel_reservation", arguments: { reservation_id: "R1" } },
];

/** Task g's single trial: passing ones read and cancel right, failing ones err and guess. */
function singleTrial(g: number) {
  const pass = g % 3 !== 0;
  const turns = pass
    ? [[{ name: "get_reservation_details", args: { reservation_id: "R1" } }], [{ name: "cancel_reservation", args: { reservation_id: "R1" } }], "Done."]
    : [[{ name: "get_reservation_details", args: { reservation_id: "R404" }, error: true }], [{ name: "cancel_reservation", args: { reservation_id: "R9" } }], "Sorry."];
  return makeRollout(turns, { rollout_id: `r${g}`, group_id: `g${g}`, task_id: `t${g}`, outcome: pass ? 1 : 0, gold_actions: gold });
}

describe("single-trial groups", () => {
  const data = buildColumnar(Array.from({ length: 45 }, (_, g) => singleTrial(g)), makeRewardConfig(NAIVE_V5));

  it("every estimator: tiers with an intended sign have no direction, none is a mismatch, the stop rule is undecided", () => {
    const config = makeRewardConfig(NAIVE_V5);
    const all = compareEstimators(data, config);
    for (const [kind, summary] of Object.entries(all)) {
      const checked = TIER_NAMES.filter((t) => summary.tiers[t].intended_sign !== null);
      expect(checked.length, kind).toBeGreaterThanOrEqual(2);
      for (const t of checked) {
        expect(summary.tiers[t].mean_adv, `${kind} ${t}`).toBe(0);
        expect(summary.tiers[t].aligned, `${kind} ${t}`).toBeNull();
      }
      expect(summary.mismatches, kind).toBe(0);
      expect(summary.undefined_direction, kind).toBe(checked.length);
      expect(summary.dead_turn_pct, kind).toBe(100);
      expect(summary.stop_rule_status, kind).toBe("undecided");
      expect(summary.stop_rule_met, kind).toBe(false);
    }
    const r = analyze(data, config);
    expect(r.corr_mean_reward_outcome as number).toBeGreaterThan(config.eta); // the rule fails on direction alone
    expect([r.mismatches, r.undefined_direction, r.stop_rule_status]).toEqual([0, all.mt_grpo.undefined_direction, "undecided"]);
  });

  it("a real mismatch still wins over undefined directions", () => {
    expect(stopRuleState(1, 3, 0.9, 0.3)).toBe("continue");
    expect(stopRuleState(0, 3, 0.9, 0.3)).toBe("undecided");
    expect(stopRuleState(0, 0, 0.9, 0.3)).toBe("met");
    expect(stopRuleState(0, 0, 0.2, 0.3)).toBe("continue");
    expect(stopRuleState(0, 0, null, 0.3)).toBe("continue");
  });
});

describe("tierDirection", () => {
  it("zero, rounding noise and no turns have no direction; a sign is compared with the intended one", () => {
    expect(tierDirection(0, 1)).toBe("none");
    expect(tierDirection(-0, -1)).toBe("none");
    expect(tierDirection(NO_DIRECTION_EPS / 2, 1)).toBe("none");
    expect(tierDirection(null, -1)).toBe("none");
    expect(tierDirection(0.3, 1)).toBe("aligned");
    expect(tierDirection(-0.3, 1)).toBe("misaligned");
    expect(tierDirection(-1e-6, -1)).toBe("aligned");
  });
});
