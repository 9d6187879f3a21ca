/**
 * The value-invariant caches (./invariants) and the reuse they enable must not change a single
 * number: every cached path is compared with a cold computation (caches cleared) of the same
 * config, after the caches were warmed by *other* configs that differ in one input at a time.
 * A cache key that forgot an input (precedence, slice, window, ddof, eps …) fails here.
 */
import { describe, expect, it } from "vitest";
import { CALIBRATED, makeRewardConfig, type RewardConfig, type RewardConfigInput } from "../rewards";
import { analyze, analyzeWithEstimators, compareEstimators } from "./analyze";
import { columnarFromRows } from "./columnar";
import { countCancelledTurns } from "./diagnostics";
import { allocateAdvantageBuffers, computeAdvantages, switchGtpoHybrid, type EstimatorParams } from "./estimators";
import { clearInvariantCache, memoInvariant, sliceKeyOf } from "./invariants";
import type { SliceSpec } from "./slice";
import { mulberry32 } from "../random/prng";
import { makeSyntheticColumnar } from "./synthetic";
import { getWorkspace } from "./workspace";

const cfg = (o: RewardConfigInput = {}): RewardConfig => makeRewardConfig({ ...CALIBRATED, ...o });

/** The configs a session walks through: each differs from the previous in one input. */
const VARIANTS: RewardConfigInput[] = [
  {},
  { tiers: { ...CALIBRATED.tiers, read: -0.4 } },
  { precedence: ["gold", "soft", "read", "error", "duplicate", "state", "message"] },
  { window: 25 },
  { window: 60, tiers: { ...CALIBRATED.tiers, error: 0.2 } },
  { ddof: 0 },
  { eps: 0 },
  { estimator: "grpo" },
  { estimator: "grpo", ddof: 0, tiers: { ...CALIBRATED.tiers, gold: 0.1 } },
  { estimator: "gtpo", gamma: 0.8 },
  { estimator: "hybrid", gamma: 0.8, lambda: 0.3 },
  { estimator: "gtpo", gn_scope: "pooled" },
  { estimator: "mt_grpo", tiers: { ...CALIBRATED.tiers, soft: "formula" } },
];
const SLICES: (SliceSpec | null)[] = [null, { w: 2 }, { w: [1, 3], behavior: "terse" }, { b: [1, 2] }];

describe("cached analysis equals a cold one", () => {
  const data = makeSyntheticColumnar({ groups: 48, groupSize: 6, turns: 10, ragged: true, zeroTurns: true, tokenShare: 0.5, actions: 3, seed: 21 });

  it("analyzeWithEstimators, analyze and compareEstimators over a walk of configs and slices", () => {
    clearInvariantCache(data);
    for (const slice of SLICES) {
      for (const variant of VARIANTS) {
        const config = cfg(variant);
        const warm = analyzeWithEstimators(data, config, { slice, includeTurns: true });
        const warmAdv = Float64Array.from(getWorkspace(data, config.precedence).adv.subarray(0, data.nTurns));
        const warmSingle = analyze(data, config, { slice });
        const warmAll = compareEstimators(data, config, { slice });
        clearInvariantCache(data);
        const cold = analyzeWithEstimators(data, config, { slice, includeTurns: true });
        const coldAdv = Float64Array.from(getWorkspace(data, config.precedence).adv.subarray(0, data.nTurns));
        expect(warm).toEqual(cold);
        // The workspace is left holding the configured estimator's advantages either way.
        expect(warmAdv).toEqual(coldAdv);
        clearInvariantCache(data);
        expect(warmSingle).toEqual(analyze(data, config, { slice }));
        clearInvariantCache(data);
        expect(warmAll).toEqual(compareEstimators(data, config, { slice }));
        // Leave the caches warm for the next variant.
        analyzeWithEstimators(data, cfg(VARIANTS[(VARIANTS.indexOf(variant) + 5) % VARIANTS.length]), { slice });
      }
    }
  });

  it("an explicit rollout mask is never cached (it has no key)", () => {
    const rand = mulberry32(4);
    const mask = Uint8Array.from({ length: data.nRollouts }, () => (rand() < 0.5 ? 1 : 0));
    const other = Uint8Array.from(mask, (m) => 1 - m);
    const a = analyze(data, cfg(), { slice: { mask } });
    analyze(data, cfg(), { slice: { mask: other } });
    clearInvariantCache(data);
    expect(analyze(data, cfg(), { slice: { mask } })).toEqual(a);
    expect(sliceKeyOf({ mask })).toBeNull();
  });

  it("appending rollouts drops the cached values (version change)", () => {
    const grown = makeSyntheticColumnar({ groups: 10, groupSize: 4, turns: 6, seed: 8 });
    let calls = 0;
    const value = () => memoInvariant(grown, "k", () => ++calls);
    expect(value()).toBe(1);
    expect(value()).toBe(1);
    grown.version++;
    expect(value()).toBe(2);
  });
});

describe("GTPO ↔ hybrid share GN(G)", () => {
  it("switchGtpoHybrid gives exactly computeAdvantages' output", () => {
    const data = makeSyntheticColumnar({ groups: 30, groupSize: 5, turns: 9, ragged: true, seed: 12 });
    const rand = mulberry32(5);
    for (const gn_scope of ["per_position", "pooled"] as const) {
      const base = { gamma: 0.9, lambda: 0.4, eps: 1e-6, ddof: 1, gn_scope };
      const shared = allocateAdvantageBuffers(data);
      const fresh = allocateAdvantageBuffers(data);
      for (let t = 0; t < data.nTurns; t++) shared.reward[t] = fresh.reward[t] = Math.round(rand() * 4) / 4 - 0.5;
      for (const [first, second] of [
        ["gtpo", "hybrid"],
        ["hybrid", "gtpo"],
      ] as const) {
        computeAdvantages(data, { ...base, estimator: first }, shared);
        switchGtpoHybrid(data, { ...base, estimator: second }, shared);
        computeAdvantages(data, { ...base, estimator: second }, fresh);
        expect(shared.adv).toEqual(fresh.adv);
        expect(shared.ai).toEqual(fresh.ai);
      }
    }
  });
  it("refuses other estimators", () => {
    const data = makeSyntheticColumnar({ groups: 2, groupSize: 2, turns: 2, seed: 1 });
    const p: EstimatorParams = { estimator: "mt_grpo", gamma: 1, lambda: 1, eps: 1e-6, ddof: 1, gn_scope: "per_position" };
    expect(() => switchGtpoHybrid(data, p, allocateAdvantageBuffers(data))).toThrow(/neither/);
  });
});

describe("cancellation from the bucket lists", () => {
  /** The definition, by scatter: every turn adds to its (group, position, action) bucket. */
  function reference(bucketOf: Int32Array, adv: Float64Array, nTurns: number, turnRollout: Int32Array, mask: Uint8Array | null): number {
    const sum = new Map<number, number>();
    const abs = new Map<number, number>();
    for (let t = 0; t < nTurns; t++) {
      sum.set(bucketOf[t], (sum.get(bucketOf[t]) ?? 0) + adv[t]);
      abs.set(bucketOf[t], (abs.get(bucketOf[t]) ?? 0) + Math.abs(adv[t]));
    }
    let n = 0;
    for (let t = 0; t < nTurns; t++) {
      if (mask && !mask[turnRollout[t]]) continue;
      const s = sum.get(bucketOf[t])!;
      const a = abs.get(bucketOf[t])!;
      if (Math.abs(s) <= 1e-9 * Math.max(1, a)) n++;
    }
    return n;
  }

  it("counts what a scatter over all turns counts, with and without a slice", () => {
    // Few actions and equal rewards per tier: many shared buckets, many that cancel exactly.
    const data = makeSyntheticColumnar({ groups: 40, groupSize: 6, turns: 8, ragged: true, actions: 2, seed: 33 });
    const mask = Uint8Array.from({ length: data.nRollouts }, (_, i) => (i % 3 === 0 ? 0 : 1));
    let cancelling = 0;
    for (const estimator of ["grpo", "mt_grpo", "gtpo", "hybrid"] as const) {
      const config = cfg({ estimator });
      analyze(data, config);
      const ws = getWorkspace(data, config.precedence);
      for (const m of [null, mask]) {
        const expected = reference(ws.bucketOf, ws.adv, data.nTurns, data.turnRollout, m);
        expect(countCancelledTurns(data, ws, m)).toBe(expected);
        cancelling += expected;
      }
    }
    expect(cancelling).toBeGreaterThan(0);
  });

  it("uses the bucket's Σ|A| as the tolerance scale, and a lone turn's own |A|", () => {
    // Group g, position 0: rollouts a and b take action "x" (one bucket), c takes "y" (alone).
    const data = columnarFromRows(
      [
        { rollout_id: "a", group_id: "g", outcome: 1, masks: [1], actions: ["x"] },
        { rollout_id: "b", group_id: "g", outcome: 0, masks: [1], actions: ["x"] },
        { rollout_id: "c", group_id: "g", outcome: 0, masks: [1], actions: ["y"] },
      ],
      "test",
    );
    const ws = getWorkspace(data, CALIBRATED.precedence);
    const set = (a: number, b: number, c: number) => ws.adv.set([a, b, c]);
    // |ΣA| = 1e-7 ≤ 1e-9 · Σ|A| = 2e-6: the pair cancels; c (|A| = 1e-10) is dead alone.
    set(1000, -1000 + 1e-7, 1e-10);
    expect(countCancelledTurns(data, ws, null)).toBe(3);
    // |ΣA| = 1e-7 > 1e-9 · max(1, Σ|A| = 2e-7): no longer cancels; c (|A| = 2) never does.
    set(1e-7, 0, 2);
    expect(countCancelledTurns(data, ws, null)).toBe(0);
    expect(countCancelledTurns(data, ws, Uint8Array.from([0, 1, 1]))).toBe(0);
    set(1000, -1000 + 1e-7, 1e-10);
    expect(countCancelledTurns(data, ws, Uint8Array.from([0, 1, 1]))).toBe(2);
  });
});
