/**
 * The run timeline's per-step math and the workbench's step slice. The timeline is checked
 * against the workbench's own analysis of the same steps (analyze with a `steps` slice), which
 * also proves the slice: a step-blind cache key or mask would hand every step the same numbers.
 */
import { describe, expect, it } from "vitest";
import { CALIBRATED, NAIVE_V5, TIER_NAMES } from "../rewards";
import { analyze, buildSliceMask, computeTurnValues, makeSyntheticColumnar } from ".";
import { computeTimeline, autoBucket } from "./timeline";
import { fillStepColumn, formatStepRange, parseStepRange, stepColumnOf } from "./timeline-steps";
import { decodeUrlState, encodeUrlState, EMPTY_URL_STATE } from "../calibration/url-state";

/** 24 groups of 4; group g is at step floor(g / 4): steps 0..5. */
function run(seed = 3) {
  const data = makeSyntheticColumnar({ groups: 24, groupSize: 4, turns: 8, ragged: true, seed });
  const steps = fillStepColumn(data, (ids) => new Map(ids.map((id) => [id, Math.floor(Number(/^g(\d+)-/.exec(id)![1]) / 4)])));
  return { data, steps };
}

describe("step column and step slice", () => {
  it("fills only the rollouts appended since the last fill", () => {
    const data = makeSyntheticColumnar({ groups: 4, groupSize: 2, turns: 3, seed: 1 });
    const asked: number[] = [];
    const lookup = (ids: readonly string[]) => {
      asked.push(ids.length);
      return new Map(ids.map((id) => [id, 7]));
    };
    fillStepColumn(data, lookup);
    fillStepColumn(data, lookup);
    expect(asked).toEqual([8]);
    expect(Array.from(stepColumnOf(data)!.subarray(0, 8))).toEqual([7, 7, 7, 7, 7, 7, 7, 7]);
  });

  it("selects the rollouts of the step range; rollouts without a step are out", () => {
    const { data } = run();
    const mask = buildSliceMask(data, { steps: [2, 3] })!;
    for (let i = 0; i < data.nRollouts; i++) {
      const g = Number(/^g(\d+)-/.exec(data.rolloutIds[i])![1]);
      expect(mask[i]).toBe(g >= 8 && g < 16 ? 1 : 0);
    }
    const unfilled = makeSyntheticColumnar({ groups: 2, groupSize: 2, turns: 2, seed: 2 });
    expect(Array.from(buildSliceMask(unfilled, { steps: [0, 100] })!)).toEqual([0, 0, 0, 0]);
  });

  it("URL state steps=a-b round-trips; malformed ranges are ignored", () => {
    const state = decodeUrlState(new URLSearchParams("steps=40-60&w=2"));
    expect(state.slice.steps).toEqual([40, 60]);
    expect(encodeUrlState(state)).toBe("w=2&steps=40-60");
    expect(decodeUrlState(new URLSearchParams("steps=60-40")).slice.steps).toBeUndefined();
    expect(encodeUrlState({ ...EMPTY_URL_STATE, slice: { ...EMPTY_URL_STATE.slice, steps: [5, 5] } })).toBe("steps=5");
    expect(parseStepRange("7")).toEqual([7, 7]);
    expect(parseStepRange("a-3")).toBeNull();
    expect(formatStepRange([3, 9])).toBe("3-9");
  });
});

describe("computeTimeline", () => {
  for (const config of [NAIVE_V5, CALIBRATED]) {
    it(`equals the workbench's analysis of each step (${config.estimator})`, () => {
      const { data, steps } = run();
      const tl = computeTimeline({ data, config, steps, bucket: 1 });
      expect(tl.step_from).toEqual([0, 1, 2, 3, 4, 5]);
      for (let p = 0; p < tl.step_from.length; p++) {
        const s = tl.step_from[p];
        const a = analyze(data, config, { slice: { steps: [s, s] } });
        expect(tl.rollouts[p]).toBe(16);
        expect(tl.groups[p]).toBe(4);
        expect(tl.mismatches[p]).toBe(a.mismatches);
        expect(tl.dead_turn_share[p]! * 100).toBeCloseTo(a.dead_turn_pct!, 9);
        for (const name of TIER_NAMES) {
          expect(tl.tiers[name].rho[p]).toBe(a.tiers[name].rho);
          expect(tl.tiers[name].mean_adv[p] ?? null).toBeCloseTo(a.tiers[name].mean_adv ?? 0, 9);
        }
        let passes = 0;
        const mask = buildSliceMask(data, { steps: [s, s] })!;
        for (let i = 0; i < data.nRollouts; i++) if (mask[i]) passes += data.outcome[i];
        expect(tl.pass_rate[p]).toBe(passes / 16);
      }
    });
  }

  it("buckets steps: a point of two steps equals analysing both together", () => {
    const { data, steps } = run(5);
    const tl = computeTimeline({ data, config: NAIVE_V5, steps, bucket: 2 });
    expect([tl.step_from, tl.step_to]).toEqual([
      [0, 2, 4],
      [1, 3, 5],
    ]);
    const a = analyze(data, NAIVE_V5, { slice: { steps: [2, 3] } });
    for (const name of TIER_NAMES) expect(tl.tiers[name].rho[1]).toBe(a.tiers[name].rho);
    expect(autoBucket(0, 499, 250)).toBe(2);
    expect(autoBucket(10, 10)).toBe(1);
  });

  it("counts zero-variance groups and measures sign agreement with the trainer's advantages", () => {
    const { data, steps } = run(7);
    // Trainer = WRIT Lab's own advantage on even turns, its negation on odd turns, none on step 5.
    const { adv } = computeTurnValues(data, NAIVE_V5);
    const trainer = new Float64Array(data.nTurns);
    for (let t = 0; t < data.nTurns; t++) trainer[t] = steps[data.turnRollout[t]] === 5 ? NaN : t % 2 === 0 ? adv[t] : -adv[t];
    const tl = computeTimeline({ data, config: NAIVE_V5, steps, trainerTurnAdvantage: trainer, bucket: 1 });
    expect(tl.has_trainer_advantage).toBe(true);
    const { adv: again } = computeTurnValues(data, NAIVE_V5);
    for (let p = 0; p < 6; p++) {
      for (const [c, name] of TIER_NAMES.entries()) {
        let agree = 0;
        let compared = 0;
        for (let t = 0; t < data.nTurns; t++) {
          if (steps[data.turnRollout[t]] !== p || p === 5 || Math.abs(again[t]) <= 1e-9) continue;
          if (computeTurnValues(data, NAIVE_V5).tier[t] !== c) continue;
          compared++;
          if (t % 2 === 0) agree++;
        }
        expect(tl.tiers[name].sign_compared[p]).toBe(compared);
        expect(tl.tiers[name].sign_agreement[p]).toBe(compared ? agree / compared : null);
      }
    }
    // Zero-variance share: groups whose four outcomes are all equal.
    for (let p = 0; p < 6; p++) {
      let zero = 0;
      for (let g = p * 4; g < p * 4 + 4; g++) {
        const o = [0, 1, 2, 3].map((j) => data.outcome[data.rolloutIds.indexOf(`g${g}-r${j}`)]);
        if (o.every((x) => x === o[0])) zero++;
      }
      expect(tl.zero_variance_share[p]).toBe(zero / 4);
    }
  });

  it("counts zero-variance groups on the trainer's reward where every rollout of a group has one", () => {
    const { data, steps } = run(11);
    // Group g (4 rollouts, step floor(g / 4)): g % 4 = 0 -> all rewards 0.5; 1 -> rewards differ;
    // 2 -> one rollout without a reward (left out); 3 -> all 1.
    const reward = new Float64Array(data.nRollouts).fill(NaN);
    for (let i = 0; i < data.nRollouts; i++) {
      const [, g, r] = /^g(\d+)-r(\d+)$/.exec(data.rolloutIds[i])!.map(Number);
      const kind = g % 4;
      reward[i] = kind === 0 ? 0.5 : kind === 1 ? r / 4 : kind === 2 ? (r === 0 ? NaN : 1) : 1;
    }
    const tl = computeTimeline({ data, config: NAIVE_V5, steps, trainerReward: reward, bucket: 1 });
    expect(tl.has_trainer_reward).toBe(true);
    // Per step: 3 groups with every reward (kinds 0, 1, 3), 2 of them constant.
    expect(tl.trainer_zero_variance_share).toEqual([2 / 3, 2 / 3, 2 / 3, 2 / 3, 2 / 3, 2 / 3]);
    // Without trainer rewards the series is there but empty, and the flag says so.
    const none = computeTimeline({ data, config: NAIVE_V5, steps, bucket: 1 });
    expect(none.has_trainer_reward).toBe(false);
    expect(none.trainer_zero_variance_share).toEqual([null, null, null, null, null, null]);
    // Buckets of two steps pool the groups: still 4 of 6.
    expect(computeTimeline({ data, config: NAIVE_V5, steps, trainerReward: reward, bucket: 2 }).trainer_zero_variance_share).toEqual([4 / 6, 4 / 6, 4 / 6]);
  });

  it("has no points for a run without steps", () => {
    const data = makeSyntheticColumnar({ groups: 2, groupSize: 2, turns: 2, seed: 2 });
    const tl = computeTimeline({ data, config: NAIVE_V5, steps: new Int32Array(4).fill(-1) });
    expect(tl.step_from).toEqual([]);
    expect(tl.min_step).toBeNull();
  });
});
