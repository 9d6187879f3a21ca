/**
 * Slice views (./slice-view): analysing the view of a slice must give exactly (Object.is on every
 * number) what masking the slice gives, and what the same groups give as a data set of their own;
 * a view must never be built for a slice that cuts a group, and it must follow the data's version.
 */
import { describe, expect, it } from "vitest";
import { CALIBRATED, makeRewardConfig, NAIVE_V5, type RewardConfig, type RewardConfigInput } from "../rewards";
import { analyzeWithEstimators, computeTurnValues } from "./analyze";
import { appendRows, columnarFromRows, type ColumnarRollouts, type CompactRolloutRow } from "./columnar";
import { clearInvariantCache } from "./invariants";
import { buildSliceMask, type SliceSpec } from "./slice";
import { buildView, sliceView } from "./slice-view";
import { makeSyntheticColumnar } from "./synthetic";
import { fillStepColumn } from "./timeline-steps";

const cfg = (o: RewardConfigInput = {}): RewardConfig => makeRewardConfig({ ...CALIBRATED, ...o });

/** Fails at the first number that is not Object.is-equal (so -0 vs 0 and 1 ulp both fail), or any other difference. */
function expectSameBits(got: unknown, want: unknown, path = "$"): void {
  if (typeof want === "number") {
    if (!Object.is(got, want)) throw new Error(`${path}: ${String(got)} is not ${String(want)}`);
    return;
  }
  if (Array.isArray(want)) {
    expect(Array.isArray(got), path).toBe(true);
    expect((got as unknown[]).length, `${path}.length`).toBe(want.length);
    want.forEach((v, i) => expectSameBits((got as unknown[])[i], v, `${path}[${i}]`));
    return;
  }
  if (want && typeof want === "object") {
    expect(Object.keys(got as object).sort(), path).toEqual(Object.keys(want).sort());
    for (const [k, v] of Object.entries(want)) expectSameBits((got as Record<string, unknown>)[k], v, `${path}.${k}`);
    return;
  }
  expect(got, path).toBe(want);
}

/** 40 groups of 6 (ragged, some empty rollouts); group g is at training step floor(g / 4). */
function run(seed = 9): ColumnarRollouts {
  const data = makeSyntheticColumnar({ groups: 40, groupSize: 6, turns: 11, ragged: true, zeroTurns: true, tokenShare: 0.6, actions: 2, seed });
  fillStepColumn(data, (ids) => new Map(ids.map((id) => [id, Math.floor(Number(/^g(\d+)-/.exec(id)![1]) / 4)])));
  return data;
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

const SLICES: SliceSpec[] = [{ steps: [2, 4] }, { steps: [7, 7] }, { w: 2 }, { w: [1, 3], behavior: "terse" }, { b: [1, 2] }, { b: 42 }];
const CONFIGS: RewardConfigInput[] = [
  {},
  { tiers: { ...CALIBRATED.tiers, read: -0.4, soft: "formula" } },
  { estimator: "grpo", window: 30 },
  { estimator: "mt_grpo", ddof: 0 },
  { estimator: "gtpo", gamma: 0.8, gn_scope: "pooled" },
  { estimator: "hybrid", lambda: 0.7, eps: 0, precedence: ["gold", "soft", "read", "error", "duplicate", "state", "message"] },
];

describe("slice views", () => {
  it("analysing the view equals masking the slice, number for number", () => {
    const data = run();
    for (const slice of SLICES) {
      const target = sliceView(data, slice);
      expect(target.data, JSON.stringify(slice)).not.toBe(data);
      expect(target.slice).toBeNull();
      for (const input of CONFIGS) {
        const config = cfg(input);
        const masked = analyzeWithEstimators(data, config, { slice, includeTurns: true });
        const viewed = analyzeWithEstimators(target.data, config, { includeTurns: true });
        expectSameBits(viewed, masked);
      }
    }
  });

  it("the view equals the same groups loaded as a data set of their own, advantages included", () => {
    const data = run(4);
    for (const slice of SLICES) {
      const mask = buildSliceMask(data, slice)!;
      const own = columnarFromRows(rowsOf(data, (i) => mask[i] === 1), "synthetic");
      const view = sliceView(data, slice).data;
      for (const input of CONFIGS) {
        const config = cfg(input);
        expectSameBits(analyzeWithEstimators(view, config, { includeTurns: true }), analyzeWithEstimators(own, config, { includeTurns: true }));
        // Per turn: the view's advantages are the whole data's advantages of those turns.
        const whole = computeTurnValues(data, config);
        const wholeAdv = Array.from(whole.adv);
        const wholeReward = Array.from(whole.reward);
        const mine = computeTurnValues(view, config);
        let t = 0;
        for (let i = 0; i < data.nRollouts; i++) {
          if (!mask[i]) continue;
          for (let u = data.turnOffsets[i]; u < data.turnOffsets[i + 1]; u++, t++) {
            expect(Object.is(mine.adv[t], wholeAdv[u]), `adv of turn ${u}`).toBe(true);
            expect(Object.is(mine.reward[t], wholeReward[u]), `reward of turn ${u}`).toBe(true);
          }
        }
        expect(t).toBe(view.nTurns);
      }
    }
  });

  it("after config changes, the cached view and its caches give what a fresh view gives", () => {
    const data = run(6);
    const slice: SliceSpec = { steps: [3, 5] };
    for (let k = 0; k < CONFIGS.length; k++) {
      const view = sliceView(data, slice).data;
      // Warm the view's caches with the previous config first.
      analyzeWithEstimators(view, cfg(CONFIGS[(k + CONFIGS.length - 1) % CONFIGS.length]), {});
      const warm = analyzeWithEstimators(view, cfg(CONFIGS[k]), { includeTurns: true });
      expect(sliceView(data, slice).data).toBe(view);
      clearInvariantCache(data);
      const fresh = sliceView(data, slice).data;
      expect(fresh).not.toBe(view);
      expectSameBits(warm, analyzeWithEstimators(fresh, cfg(CONFIGS[k]), { includeTurns: true }));
    }
  });

  it("no view for a slice that cuts a group, selects more than half the turns, or is an explicit mask", () => {
    const data = run(2);
    // Every other rollout: each group is cut.
    const cut = Uint8Array.from({ length: data.nRollouts }, (_, i) => i % 2);
    expect(buildView(data, cut)).toBeNull();
    expect(sliceView(data, { mask: cut })).toEqual({ data, slice: { mask: cut } });
    const most: SliceSpec = { steps: [0, 7] };
    expect(sliceView(data, most)).toEqual({ data, slice: most });
    expect(sliceView(data, null)).toEqual({ data, slice: null });
    expect(sliceView(data, {})).toEqual({ data, slice: {} });
  });

  it("an append gives a new view that includes the new rollouts of the slice", () => {
    const data = run(3);
    const slice: SliceSpec = { w: 2 };
    const before = sliceView(data, slice).data;
    const extra = makeSyntheticColumnar({ groups: 6, groupSize: 6, turns: 5, seed: 31 });
    appendRows(data, rowsOf(extra, () => true).map((r) => ({ ...r, group_id: `new-${r.group_id}`, rollout_id: `new-${r.rollout_id}` })));
    const after = sliceView(data, slice).data;
    expect(after).not.toBe(before);
    const mask = buildSliceMask(data, slice)!;
    let n = 0;
    for (let i = 0; i < data.nRollouts; i++) n += mask[i];
    expect(after.nRollouts).toBe(n);
    expect(after.nRollouts).toBeGreaterThan(before.nRollouts);
    expectSameBits(analyzeWithEstimators(after, NAIVE_V5, {}), analyzeWithEstimators(data, NAIVE_V5, { slice }));
  });

  it("the views of one data set hold at most as many turns as the data (least recently used dropped)", () => {
    const data = run(5);
    const slices: SliceSpec[] = [{ steps: [0, 3] }, { steps: [4, 7] }, { steps: [2, 5] }, { steps: [6, 9] }];
    // Each slice is 16 of the 40 groups (about 40% of the turns): two views fit, a third does not.
    const views = slices.map((s) => sliceView(data, s).data);
    expect(views[2].nTurns + views[3].nTurns).toBeLessThanOrEqual(data.nTurns);
    expect(sliceView(data, slices[3]).data).toBe(views[3]);
    expect(sliceView(data, slices[2]).data).toBe(views[2]);
    // The first ones were dropped to make room: asking again builds them anew.
    expect(sliceView(data, slices[0]).data).not.toBe(views[0]);
  });
});
