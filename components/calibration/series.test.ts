import { describe, expect, it } from "vitest";
import type { AdvantageHeatmap, AnalysisResponse, CellSummary, EstimatorSummary } from "@/lib/calibration/api-types";
import { analyze, compareEstimators, makeSyntheticColumnar } from "@/lib/analysis";
import { NAIVE_V5, TIER_NAMES } from "@/lib/rewards";
import {
  cellMatrix,
  directionSeries,
  distributionSeries,
  estimatorRows,
  fmt,
  fmtSigned,
  misalignedTiers,
  poolHeatmapPositions,
  positionHeatmap,
  presenceSeries,
  rhoSeries,
  timelineSeries,
} from "./series";

/** A real analysis of synthetic data wrapped as the route would return it. */
function response(): AnalysisResponse {
  const data = makeSyntheticColumnar({ groups: 30, groupSize: 4, turns: 6, ragged: true, seed: 7 });
  const analysis = analyze(data, NAIVE_V5);
  return {
    experiment_id: 1,
    config: NAIVE_V5,
    config_hash: "abc",
    slice: null,
    data_version: 1,
    cached: false,
    computed_ms: 1,
    analysis,
    suggestion_rules: {} as AnalysisResponse["suggestion_rules"],
    stop_rule: {
      met: false,
      status: "continue",
      mismatches: analysis.mismatches,
      undefined_direction: analysis.undefined_direction,
      corr_mean_reward_outcome: analysis.corr_mean_reward_outcome,
      eta: 0.3,
      text: "",
    },
    pass_rate: 0.5,
    estimators: compareEstimators(data, NAIVE_V5) as Record<"grpo" | "mt_grpo" | "gtpo" | "hybrid", EstimatorSummary>,
  };
}

describe("number formatting", () => {
  it("prints n/a for undefined statistics and never a negative zero", () => {
    expect(fmt(null)).toBe("n/a");
    expect(fmt(Number.NaN)).toBe("n/a");
    expect(fmt(-0.0001, 2)).toBe("0.00");
    expect(fmtSigned(0.5, 2)).toBe("+0.50");
    expect(fmtSigned(-0.5, 2)).toBe("-0.50");
    expect(fmtSigned(0.0001, 2)).toBe("0.00");
  });
});

describe("per-tier series", () => {
  const res = response();

  it("gives one point per tier with CI whiskers as distances from rho", () => {
    const rho = rhoSeries(res);
    expect(rho.map((p) => p.tier)).toEqual([...TIER_NAMES]);
    for (const p of rho) {
      const t = res.analysis.tiers[p.tier];
      expect(p.rho).toBe(t.rho);
      if (p.rho !== null && t.ci) {
        expect(p.rho - p.err![0]).toBeCloseTo(t.ci[0], 12);
        expect(p.rho + p.err![1]).toBeCloseTo(t.ci[1], 12);
      } else expect(p.err).toBeNull();
      expect(p.within_delta).toBe(p.rho === null || Math.abs(p.rho) <= NAIVE_V5.delta);
    }
  });

  it("turns presence probabilities into percentages and keeps nulls", () => {
    for (const p of presenceSeries(res)) {
      const t = res.analysis.tiers[p.tier];
      expect(p.pass).toBe(t.p_present_pass === null ? null : t.p_present_pass * 100);
      expect(p.fail).toBe(t.p_present_fail === null ? null : t.p_present_fail * 100);
    }
  });

  it("lists exactly the misaligned tiers, as many as the mismatch count", () => {
    const mis = misalignedTiers(res);
    expect(mis.length).toBe(res.analysis.mismatches);
    expect(directionSeries(res).filter((d) => d.aligned === false).map((d) => d.tier)).toEqual(mis);
  });

  it("orders the estimators and carries their mismatches and misaligned tiers", () => {
    const rows = estimatorRows(res.estimators);
    expect(rows.map((r) => r.estimator)).toEqual(["grpo", "mt_grpo", "gtpo", "hybrid"]);
    for (const r of rows) {
      expect(r.mismatches).toBe(res.estimators![r.estimator].mismatches);
      expect(r.misaligned.length).toBe(r.mismatches);
    }
    expect(estimatorRows(undefined)).toEqual([]);
  });
});

describe("distribution", () => {
  it("normalises each side to 100% so sides of different size compare by shape", () => {
    const pts = distributionSeries({
      bins: [
        { lo: -1, hi: 0, pass: 1, fail: 30 },
        { lo: 0, hi: 1, pass: 3, fail: 10 },
      ],
      pass: { n: 4, mean: 0.2, dead: 0 },
      fail: { n: 40, mean: -0.4, dead: 0 },
      clip: 10,
    });
    expect(pts.map((p) => p.pass)).toEqual([25, 75]);
    expect(pts.map((p) => p.fail)).toEqual([75, 25]);
    expect(pts[1].passCount).toBe(3);
    expect(distributionSeries(undefined)).toEqual([]);
  });
});

describe("heatmaps", () => {
  it("drops tiers without turns and labels the pooled last position", () => {
    const h: AdvantageHeatmap = {
      positions: [0, 1, 2],
      last_row_pooled: true,
      tiers: ["gold", "soft", "read"],
      mean_adv: [
        [0.5, null, -0.2],
        [0.1, null, null],
        [null, null, 0.3],
      ],
      n: [
        [2, 0, 1],
        [1, 0, 0],
        [0, 0, 4],
      ],
      misaligned: [
        [0, 0, 1],
        [0, 0, 0],
        [0, 0, 0],
      ],
      intended_sign: { gold: 1, soft: null, read: -1, state: null, message: null, error: null, duplicate: null },
    };
    const s = positionHeatmap(h);
    expect(s.cols.map((c) => c.key)).toEqual(["gold", "read"]);
    expect(s.rows.map((r) => r.label)).toEqual(["0", "1", "≥2"]);
    expect(s.values).toEqual([
      [0.5, -0.2],
      [0.1, null],
      [null, 0.3],
    ]);
  });

  it("lays W × B cells out as a grid, with gaps as null and unknown W/B as '?'", () => {
    const cell = (w: number, b: number, mismatches: number): CellSummary => ({
      w,
      b,
      n_rollouts: 8,
      n_groups: 1,
      n_turns: 40,
      pass_rate: 0.5,
      mismatches,
      undefined_direction: 0,
      corr_adv_outcome: 0.4,
      dead_turn_pct: 2,
      rho: {} as CellSummary["rho"],
      mean_adv: {} as CellSummary["mean_adv"],
      misaligned: [],
    });
    const m = cellMatrix([cell(2, 4, 1), cell(1, 1, 0), cell(-1, 1, 3)], "mismatches");
    expect(m.rows.map((r) => r.label)).toEqual(["?", "1", "2"]);
    expect(m.cols.map((c) => c.label)).toEqual(["1", "4"]);
    expect(m.values).toEqual([
      [3, null],
      [0, null],
      [null, 1],
    ]);
    expect(cellMatrix([cell(1, 1, 0)], "pass_rate").values).toEqual([[50]]);
  });
});

describe("timeline", () => {
  it("maps iterations to points with pass rate in percent and nulls without metrics", () => {
    const base = { experiment_id: 1, parent_id: null, config: NAIVE_V5, hash: "h", created_at: 0 };
    const pts = timelineSeries([
      { ...base, id: 4, number: 1, note: "naive", metrics: null },
      {
        ...base,
        id: 9,
        number: 2,
        note: null,
        metrics: {
          experiment_id: 1,
          n_rollouts: 10,
          n_turns: 50,
          pass_rate: 0.4,
          estimator: "hybrid",
          mismatches: 0,
          corr_mean_reward_outcome: 0.5,
          corr_adv_outcome: 0.3,
          dead_turn_pct: 1.5,
          dead_turn_pct_cancel: 0,
          rho: {} as never,
          mean_adv: {} as never,
          misaligned: [],
          suggestion: {} as never,
          stop_rule_met: true,
          computed_at: 0,
        },
      },
    ]);
    expect(pts[0]).toMatchObject({ id: 4, label: "#1", mismatches: null, pass: null });
    expect(pts[1]).toMatchObject({ id: 9, mismatches: 0, corr: 0.5, dead: 1.5, pass: 40 });
  });
});

describe("poolHeatmapPositions", () => {
  const h: AdvantageHeatmap = {
    positions: [0, 1, 2, 3],
    last_row_pooled: true,
    tiers: ["gold", "soft"],
    mean_adv: [
      [1, null],
      [2, -1],
      [4, null],
      [-2, -3],
    ],
    n: [
      [1, 0],
      [2, 1],
      [1, 0],
      [3, 2],
    ],
    misaligned: [
      [0, 0],
      [0, 1],
      [1, 0],
      [2, 2],
    ],
    intended_sign: { gold: 1, soft: 1, read: null, state: null, message: null, error: null, duplicate: null },
  };
  it("pools the positions past the width into one ≥ row, mean weighted by turns", () => {
    const p = poolHeatmapPositions(h, 3);
    expect(p.positions).toEqual([0, 1, 2]);
    expect(p.last_row_pooled).toBe(true);
    expect(p.n).toEqual([[1, 0], [2, 1], [4, 2]]);
    expect(p.mean_adv[2][0]).toBeCloseTo((4 * 1 + -2 * 3) / 4, 12);
    expect(p.mean_adv[2][1]).toBeCloseTo(-3, 12);
    expect(p.misaligned[2]).toEqual([3, 2]);
    expect(positionHeatmap(p).rows.map((r) => r.label)).toEqual(["0", "1", "≥2"]);
  });
  it("leaves a heatmap that fits alone", () => {
    expect(poolHeatmapPositions(h, 4)).toBe(h);
  });
});
