import { describe, expect, it } from "vitest";
import { CALIBRATED, makeRewardConfig, NAIVE_V5, TIER_NAMES, type RewardConfig, type RewardConfigInput } from "../rewards";
import { makeRollout } from "../rewards/test-helpers";
import { analyze, analyzeWithEstimators, analyzeWithEstimatorsExcept, compareEstimators, delegableEstimators, summarizeEstimators, type AnalysisResult } from "./analyze";
import { restoreColumnar, snapshotColumnar } from "./snapshot";
import { appendRollouts, buildColumnar, columnarFromRows, createColumnar, type ColumnarRollouts, type CompactRolloutRow } from "./columnar";
import { pearson } from "./stats";
import { mulberry32 } from "../random/prng";
import { makeSyntheticColumnar } from "./synthetic";
import { getWorkspace } from "./workspace";
import { WORKED_EXAMPLE_ROWS } from "./worked-example.fixture";
import { classificationKey } from "../rewards";

/** Every number reachable from value is finite (no NaN / ±Infinity anywhere in the output). */
function assertAllFinite(value: unknown, path = "$"): void {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`non-finite number at ${path}: ${value}`);
    return;
  }
  if (Array.isArray(value)) value.forEach((v, i) => assertAllFinite(v, `${path}[${i}]`));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) assertAllFinite(v, `${path}.${k}`);
}

function rowsOf(data: ColumnarRollouts, keep: (i: number) => boolean): CompactRolloutRow[] {
  const rows: CompactRolloutRow[] = [];
  for (let i = 0; i < data.nRollouts; i++) {
    if (!keep(i)) continue;
    const s = data.turnOffsets[i];
    const e = data.turnOffsets[i + 1];
    rows.push({
      rollout_id: data.rolloutIds[i],
      group_id: data.groupIds[data.rolloutGroup[i]],
      outcome: data.outcome[i],
      w: data.rolloutW[i],
      b: data.rolloutB[i],
      behavior: data.behaviorNames[data.rolloutBehavior[i]],
      masks: Array.from(data.turnMask.subarray(s, e)),
      soft: Array.from(data.turnSoft.subarray(s, e)),
      tokens: Array.from(data.turnTokens.subarray(s, e)),
      actions: Array.from(data.turnAction.subarray(s, e), (a) => data.actionKeys[a]),
    });
  }
  return rows;
}

const cfg = (o: RewardConfigInput = {}): RewardConfig => makeRewardConfig({ ...CALIBRATED, ...o });

describe("no NaN or Infinity on random data", () => {
  const rand = mulberry32(99);
  for (let trial = 0; trial < 12; trial++) {
    const spec = {
      groups: 1 + Math.floor(rand() * 40),
      groupSize: 1 + Math.floor(rand() * 8),
      turns: 1 + Math.floor(rand() * 12),
      ragged: trial % 3 !== 0,
      zeroTurns: trial % 2 === 0,
      tokenShare: [0, 0.5, 1][trial % 3],
      seed: 1000 + trial,
    };
    it(`trial ${trial}: ${JSON.stringify(spec)}`, () => {
      const data = makeSyntheticColumnar(spec);
      for (const estimator of ["grpo", "mt_grpo", "gtpo", "hybrid"] as const) {
        for (const gn_scope of ["per_position", "pooled"] as const) {
          const config = cfg({ estimator, gn_scope, ddof: trial % 2, eps: trial === 5 ? 0 : 1e-6, window: trial % 4 === 1 ? 7 : null });
          assertAllFinite(analyze(data, config, { includeTurns: true }));
          assertAllFinite(analyze(data, config, { slice: { w: 2, behavior: "terse" } }));
          assertAllFinite(analyze(data, config, { slice: { b: 42 } })); // empty slice
        }
      }
      assertAllFinite(compareEstimators(data, cfg()));
    });
  }

  it("analyzeWithEstimators equals analyze + compareEstimators and leaves the configured estimator's advantages", () => {
    const data = makeSyntheticColumnar({ groups: 40, groupSize: 6, turns: 12, ragged: true, seed: 77 });
    for (const estimator of ["grpo", "mt_grpo", "gtpo", "hybrid"] as const) {
      const config = cfg({ estimator });
      const slice = { w: 2 };
      const both = analyzeWithEstimators(data, config, { slice, includeTurns: true });
      const advAfter = Float64Array.from(getWorkspace(data, config.precedence).adv.subarray(0, data.nTurns));
      expect(both.result).toEqual(analyze(data, config, { slice, includeTurns: true }));
      expect(advAfter).toEqual(Float64Array.from(getWorkspace(data, config.precedence).adv.subarray(0, data.nTurns)));
      expect(both.estimators).toEqual(compareEstimators(data, config, { slice }));
    }
  });

  it("split across two copies of the data (as across threads), the estimators equal the single pass", () => {
    const data = makeSyntheticColumnar({ groups: 40, groupSize: 6, turns: 12, ragged: true, seed: 78 });
    for (const estimator of ["grpo", "mt_grpo", "gtpo", "hybrid"] as const) {
      for (const [slice, window] of [[null, null], [{ w: 2 }, null], [{ b: [1, 4] }, 60]] as const) {
        const config = cfg({ estimator, window, tiers: { read: 0.37, soft: "formula" } });
        const full = analyzeWithEstimators(data, config, { slice });
        const elsewhere = delegableEstimators(config);
        expect(elsewhere).not.toContain(estimator);
        expect(elsewhere.length).toBe(2);
        // The other side works on a snapshot copy, the way the analysis thread receives it.
        const copy = restoreColumnar(snapshotColumnar(data));
        const there = summarizeEstimators(copy, config, { slice }, elsewhere);
        expect(Object.keys(there).sort()).toEqual([...elsewhere].sort());
        const here = analyzeWithEstimatorsExcept(data, config, { slice }, elsewhere);
        expect(here.result).toEqual(full.result);
        expect(Object.keys(here.estimators)).toHaveLength(2);
        expect({ ...here.estimators, ...there }).toEqual(full.estimators);
      }
    }
    expect(() => analyzeWithEstimatorsExcept(data, cfg({ estimator: "gtpo" }), {}, ["gtpo"])).toThrow(/configured estimator/);
  });

  it("an empty data set gives nulls and zeros, not NaN", () => {
    const data = createColumnar("x");
    const r = analyze(data, cfg(), { includeTurns: true });
    assertAllFinite(r);
    expect(r.corr_adv_outcome).toBeNull();
    expect(r.dead_turn_pct).toBeNull();
    expect(r.turns).toEqual([]);
    expect(r.mismatches).toBe(0);
  });
});

describe("slicing by W, B and behaviour", () => {
  const data = makeSyntheticColumnar({ groups: 60, groupSize: 6, turns: 9, ragged: true, seed: 5 });
  it("a W slice equals analysing only that W's rollouts (groups are task-level)", () => {
    const sliced = analyze(data, cfg({ estimator: "hybrid" }), { slice: { w: 2 } });
    const sub = columnarFromRows(rowsOf(data, (i) => data.rolloutW[i] === 2), "synthetic");
    const direct = analyze(sub, cfg({ estimator: "hybrid" }));
    expect(sliced.n_rollouts).toBe(sub.nRollouts);
    for (const t of TIER_NAMES) {
      expect(sliced.tiers[t].rho).toBeCloseTo(direct.tiers[t].rho ?? NaN, 12);
      expect(sliced.tiers[t].mean_adv ?? 0).toBeCloseTo(direct.tiers[t].mean_adv ?? 0, 12);
      expect(sliced.gradient_share[t] ?? 0).toBeCloseTo(direct.gradient_share[t] ?? 0, 12);
    }
    expect(sliced.corr_adv_outcome).toBeCloseTo(direct.corr_adv_outcome as number, 12);
    expect(sliced.dead_turn_pct_cancel).toBeCloseTo(direct.dead_turn_pct_cancel as number, 12);
    expect(sliced.groups).toEqual(direct.groups);
  });
  it("slices combine with AND and count only selected rollouts and turns", () => {
    const r = analyze(data, cfg(), { slice: { w: [1, 2], b: 1, behavior: "cooperative" } });
    let n = 0;
    let turns = 0;
    for (let i = 0; i < data.nRollouts; i++) {
      if ([1, 2].includes(data.rolloutW[i]) && data.rolloutB[i] === 1 && data.behaviorNames[data.rolloutBehavior[i]] === "cooperative") {
        n++;
        turns += data.turnOffsets[i + 1] - data.turnOffsets[i];
      }
    }
    expect(n).toBeGreaterThan(0);
    expect(r.n_rollouts).toBe(n);
    expect(r.n_turns).toBe(turns);
  });
});

describe("incremental append", () => {
  const gold = [{ name: "cancel_reservation", arguments: { reservation_id: "R1" } }];
  function makeBatch(seed: number, count: number) {
    const rand = mulberry32(seed);
    return Array.from({ length: count }, (_, j) => {
      const turns = Array.from({ length: 1 + Math.floor(rand() * 5) }, () => {
        const x = rand();
        if (x < 0.2) return "text";
        if (x < 0.4) return [{ name: "cancel_reservation", args: { reservation_id: rand() < 0.5 ? "R1" : "R2" } }];
        if (x < 0.8) return [{ name: "get_user_details", args: { user_id: "u" + Math.floor(rand() * 3) } }];
        return [{ name: "book_reservation", args: { user_id: "u1" }, error: rand() < 0.5 }];
      });
      return makeRollout(turns, { rollout_id: `s${seed}-${j}`, group_id: `g${j % 4}`, outcome: rand() < 0.5 ? 1 : 0, gold_actions: gold, tokens: turns.map(() => 50) });
    });
  }
  it("appending batches gives the same analysis as building once", () => {
    const batches = [makeBatch(1, 10), makeBatch(2, 7), makeBatch(3, 13)];
    const config = cfg({ estimator: "mt_grpo" });
    const once = buildColumnar(batches.flat(), config);
    const inc = buildColumnar(batches[0], config);
    const v0 = inc.version;
    appendRollouts(inc, batches[1], config);
    const mid = analyze(inc, config); // workspace sized for the smaller data set, then grown
    expect(mid.n_rollouts).toBe(17);
    appendRollouts(inc, batches[2], config);
    expect(inc.version).toBeGreaterThan(v0);
    const a = analyze(once, config, { includeTurns: true });
    const b = analyze(inc, config, { includeTurns: true });
    // Same rollouts, same groups; only turn order in the output may differ, so compare aggregates and sorted turns.
    const sortTurns = (r: AnalysisResult) => [...(r.turns ?? [])].sort((x, y) => (x.rollout_id + x.k < y.rollout_id + y.k ? -1 : 1));
    expect(sortTurns(b)).toEqual(sortTurns(a));
    expect({ ...b, turns: undefined }).toEqual({ ...a, turns: undefined });
  });
  it("refuses rollouts classified under other options", () => {
    const data = buildColumnar(makeBatch(4, 3), cfg());
    expect(() => appendRollouts(data, makeBatch(5, 2), cfg({ deep_equal: { sort_lists: false } }))).toThrow(/rebuild/);
  });
});

describe("recompute reuses the stored classification", () => {
  it("changing tier values changes rewards but not the data; the workspace is reused", () => {
    const data = makeSyntheticColumnar({ groups: 20, groupSize: 4, turns: 6, seed: 3 });
    const masks = data.turnMask;
    const version = data.version;
    const a = analyze(data, NAIVE_V5);
    const ws = getWorkspace(data, NAIVE_V5.precedence);
    const b = analyze(data, makeRewardConfig({ ...NAIVE_V5, tiers: { ...NAIVE_V5.tiers, read: 0 } }));
    expect(getWorkspace(data, NAIVE_V5.precedence)).toBe(ws);
    expect(data.turnMask).toBe(masks);
    expect(data.version).toBe(version);
    expect(b.tiers.read.mean_adv).not.toBe(a.tiers.read.mean_adv);
    // Tier statistics depend on tiering only, not values.
    expect(b.tiers.read.rho).toBe(a.tiers.read.rho);
  });
  it("a new precedence re-tiers from the stored masks", () => {
    const dupState = (1 << 6) | (1 << 3);
    const rows: CompactRolloutRow[] = [
      { rollout_id: "a", group_id: "g", outcome: 1, masks: [1 << 3, dupState] },
      { rollout_id: "b", group_id: "g", outcome: 0, masks: [1 << 2] },
    ];
    const data = columnarFromRows(rows, "x");
    expect(analyze(data, cfg()).tiers.duplicate.n_turns).toBe(1);
    const swapped = analyze(data, cfg({ precedence: ["gold", "soft", "error", "state", "duplicate", "read", "message"] }));
    expect(swapped.tiers.duplicate.n_turns).toBe(0);
    expect(swapped.tiers.state.n_turns).toBe(2);
  });
});

describe("diagnostics on the worked example", () => {
  const data = columnarFromRows(
    WORKED_EXAMPLE_ROWS.map((r, i) => ({ ...r, tokens: [10, 20 + i, 30] })),
    "x",
  );
  it("position-level cancellation: the shared read at position 0 sums to 0", () => {
    const r = analyze(data, cfg({ estimator: "mt_grpo" }));
    expect(r.dead_turn_pct).toBe(0);
    expect(r.dead_turn_pct_cancel).toBeCloseTo((100 * 4) / 12, 10);
  });
  it("gradient share is token weighted (GRPO: |A| equal on every turn)", () => {
    const r = analyze(data, cfg({ estimator: "grpo" }));
    const total = 4 * 10 + (20 + 21 + 22 + 23) + 4 * 30;
    expect(r.gradient_share.gold).toBeCloseTo((20 + 30 + 23) / total, 12);
    expect(r.gradient_share.read).toBeCloseTo(40 / total, 12);
    expect(r.gradient_weighting).toBe("tokens");
    const sum = TIER_NAMES.reduce((s, t) => s + (r.gradient_share[t] ?? 0), 0);
    expect(sum).toBeCloseTo(1, 12);
  });
  it("sign disagreement, Corr(adv, out) and Corr(r̄, o) follow their definitions", () => {
    const config = cfg({ estimator: "mt_grpo" });
    const r = analyze(data, config, { includeTurns: true });
    const turns = r.turns ?? [];
    const outcomes = [1, 0, 0, 1];
    const adv = turns.map((t) => t.adv);
    const out = turns.map((t) => outcomes[Number(t.rollout_id.slice(1))]);
    expect(r.corr_adv_outcome).toBeCloseTo(pearson(adv, out) as number, 12);
    const opposite = turns.filter((t) => t.ai * t.adv < 0 && Math.abs(t.ai) > 1e-9).length;
    expect(r.sign_disagreement.ai_vs_adv).toBeCloseTo(opposite / 12, 12);
    const means = [0, 1, 2, 3].map((i) => turns.filter((t) => t.rollout_id === `r${i}`).reduce((s, t) => s + t.reward, 0) / 3);
    expect(r.corr_mean_reward_outcome).toBeCloseTo(pearson(means, outcomes) as number, 12);
  });
  it("tier direction table, suggestion and stop rule", () => {
    const config = cfg({ estimator: "hybrid", alpha: 2, delta: 0.6 });
    const r = analyze(data, config);
    expect(r.tiers.gold).toMatchObject({ rho: 1, intended_sign: 1, aligned: true, p_present_pass: 1, p_present_fail: 0, gap_pp: 100 });
    // |rho| = 0.577 ≤ delta = 0.6: skipped, suggestion 0.
    expect(r.tiers.state.intended_sign).toBeNull();
    expect(r.tiers.state.aligned).toBeNull();
    expect(r.suggestion.state).toBe(0);
    expect(r.suggestion.gold).toBe(2);
    expect(r.suggestion.read).toBe(0); // n/a rho counts as 0
    expect(r.tiers.read.rho).toBeNull();
    expect(r.mismatches).toBe(0);
    expect(r.stop_rule_met).toBe((r.corr_mean_reward_outcome as number) > config.eta);
    expect(analyze(data, cfg({ eta: 0.999 })).stop_rule_met).toBe(false);
  });
  it("a misaligned tier counts as a mismatch", () => {
    // Reward the state change heavily: its mean advantage turns positive though rho < 0.
    const r = analyze(data, cfg({ estimator: "mt_grpo", tiers: { state: 5 } }));
    expect(r.tiers.state.intended_sign).toBe(-1);
    expect(r.tiers.state.aligned).toBe(false);
    expect(r.mismatches).toBeGreaterThanOrEqual(1);
  });
});

describe("sliding window", () => {
  it("rho over the most recent W rollouts equals rho of that sub-range", () => {
    const data = makeSyntheticColumnar({ groups: 50, groupSize: 4, turns: 5, seed: 8 });
    const windowed = analyze(data, cfg({ window: 80 }));
    const last = columnarFromRows(rowsOf(data, (i) => i >= data.nRollouts - 80), "synthetic");
    const direct = analyze(last, cfg());
    expect(windowed.n_rollouts_rho).toBe(80);
    for (const t of TIER_NAMES) expect(windowed.tiers[t].rho).toBe(direct.tiers[t].rho);
    expect(analyze(data, cfg({ window: 10_000 })).tiers.gold.rho).toBe(analyze(data, cfg()).tiers.gold.rho);
  });
});

describe("group outcome mix", () => {
  it("counts all-pass, all-fail and mixed groups, groups of one included", () => {
    const rows: CompactRolloutRow[] = [
      { rollout_id: "a1", group_id: "A", outcome: 1, masks: [1] },
      { rollout_id: "a2", group_id: "A", outcome: 1, masks: [1] },
      { rollout_id: "b1", group_id: "B", outcome: 0, masks: [4] },
      { rollout_id: "c1", group_id: "C", outcome: 1, masks: [4] },
      { rollout_id: "c2", group_id: "C", outcome: 0, masks: [16] },
      { rollout_id: "d1", group_id: "D", outcome: 1, masks: [] },
    ];
    const r = analyze(columnarFromRows(rows, "x"), cfg());
    expect(r.groups).toEqual({ all_pass: 50, all_fail: 25, mixed: 25, n: 4 });
  });
});

it("classification key of built data matches the config", () => {
  expect(buildColumnar([], cfg()).classKey).toBe(classificationKey(cfg()));
});
