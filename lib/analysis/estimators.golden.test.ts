/** docs/reward-calibration.md §7: the worked example, every matrix, to 1e-3. */
import { describe, expect, it } from "vitest";
import { CALIBRATED, makeRewardConfig, type RewardConfigInput } from "../rewards";
import { analyze, compareEstimators } from "./analyze";
import { columnarFromRows } from "./columnar";
import { getWorkspace } from "./workspace";
import { WORKED_EXAMPLE as W, WORKED_EXAMPLE_ROWS } from "./worked-example.fixture";

const TOL = 1e-3;

function run(overrides: RewardConfigInput) {
  const data = columnarFromRows(WORKED_EXAMPLE_ROWS, "test");
  const config = makeRewardConfig({ ...CALIBRATED, gamma: 0.9, lambda: 0.3, eps: 1e-6, ddof: 1, ...overrides });
  const result = analyze(data, config, { includeTurns: true });
  const ws = getWorkspace(data, config.precedence);
  const matrix = (arr: Float64Array) => [0, 1, 2, 3].map((i) => Array.from(arr.subarray(i * 3, i * 3 + 3)));
  return { result, adv: matrix(ws.adv), ai: matrix(ws.ai), ret: matrix(ws.ret), reward: matrix(ws.reward), ao: Array.from(ws.ao.subarray(0, 4)) };
}

function expectMatrix(actual: number[][], expected: number[][]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => row.forEach((v, k) => expect(Math.abs(v - expected[i][k]), `[${i}][${k}] ${v} vs ${expected[i][k]}`).toBeLessThan(TOL)));
}

describe("worked example (docs §7)", () => {
  it("per-turn rewards under the calibrated values (soft 0.5 fraction → 0.75)", () => {
    expectMatrix(run({ estimator: "mt_grpo" }).reward, W.rewards);
  });

  it("outcome advantage AO", () => {
    const { ao } = run({ estimator: "grpo" });
    ao.forEach((v, i) => expect(Math.abs(v - W.ao[i])).toBeLessThan(TOL));
  });

  it("GRPO gives every turn its rollout's AO", () => {
    const { adv } = run({ estimator: "grpo" });
    expectMatrix(adv, W.ao.map((a) => [a, a, a]));
  });

  it("MT-GRPO A (Eq. 1), with position 0 exactly dead in AI", () => {
    const { adv, ai } = run({ estimator: "mt_grpo" });
    expectMatrix(adv, W.mtGrpo);
    for (let i = 0; i < 4; i++) expect(ai[i][0]).toBe(0);
  });

  it("GTPO returns G", () => {
    expectMatrix(run({ estimator: "gtpo" }).ret, W.returns);
  });

  it("hybrid per-position (Eq. 2)", () => {
    expectMatrix(run({ estimator: "hybrid", gn_scope: "per_position" }).adv, W.hybridPerPosition);
  });

  it("hybrid pooled", () => {
    expectMatrix(run({ estimator: "hybrid", gn_scope: "pooled" }).adv, W.hybridPooled);
  });

  it("GTPO = hybrid with λ = 0 (per-position GN(G))", () => {
    const expected = W.hybridPerPosition.map((row, i) => row.map((v) => v - 0.3 * W.ao[i]));
    expectMatrix(run({ estimator: "gtpo" }).adv, expected);
  });

  it("MT-GRPO with ddof = 0: row 0", () => {
    const { adv } = run({ estimator: "mt_grpo", ddof: 0 });
    adv[0].forEach((v, k) => expect(Math.abs(v - W.mtGrpoDdof0Row0[k])).toBeLessThan(TOL));
  });

  it("the per-turn output of analyze carries the same numbers", () => {
    const { result } = run({ estimator: "mt_grpo" });
    expect(result.turns).toHaveLength(12);
    expect(result.turns?.[2]).toMatchObject({ rollout_id: "r0", k: 2, tier: "gold", reward: 1 });
    expect(Math.abs((result.turns?.[2].adv ?? 0) - 2.36)).toBeLessThan(TOL);
    expect(result.groups).toEqual({ all_pass: 0, all_fail: 0, mixed: 100, n: 1 });
  });

  it("compareEstimators agrees with analyze for each estimator", () => {
    const data = columnarFromRows(WORKED_EXAMPLE_ROWS, "test");
    const all = compareEstimators(data, CALIBRATED);
    for (const est of ["grpo", "mt_grpo", "gtpo", "hybrid"] as const) {
      const single = analyze(data, makeRewardConfig({ ...CALIBRATED, estimator: est }));
      expect(all[est].mismatches).toBe(single.mismatches);
      expect(all[est].corr_adv_outcome).toBe(single.corr_adv_outcome);
      expect(all[est].dead_turn_pct).toBe(single.dead_turn_pct);
      expect(all[est].gradient_share).toEqual(single.gradient_share);
    }
  });
});

describe("computeTurnValues (export path)", () => {
  it("returns the hybrid advantages of the worked example", async () => {
    const { computeTurnValues } = await import("./analyze");
    const data = columnarFromRows(WORKED_EXAMPLE_ROWS, "test");
    const v = computeTurnValues(data, makeRewardConfig({ ...CALIBRATED, estimator: "hybrid" }));
    expect(v.adv).toHaveLength(12);
    W.hybridPerPosition.flat().forEach((x, t) => expect(Math.abs(v.adv[t] - x)).toBeLessThan(TOL));
  });
});
