/**
 * The workbench sections: the cached layout must give exactly the numbers a cold computation
 * gives (warmed by other tier values, estimators and slices first), and the fused pass must
 * agree with a plain per-turn reference.
 */
import { describe, expect, it } from "vitest";
import { analyze, buildSliceMask, clearInvariantCache, getWorkspace, makeSyntheticColumnar, type SliceSpec } from "../analysis";
import { CALIBRATED, makeRewardConfig, TIER_NAMES, type RewardConfig, type RewardConfigInput } from "../rewards";
import { computeSections, HEATMAP_MAX_POSITION, type SectionRequest } from "./sections";

const ALL: SectionRequest = { cells: true, heatmap: true, distribution: true };
const cfg = (o: RewardConfigInput = {}): RewardConfig => makeRewardConfig({ ...CALIBRATED, ...o });
const data = makeSyntheticColumnar({ groups: 40, groupSize: 6, turns: 12, ragged: true, zeroTurns: true, seed: 17 });

function sections(config: RewardConfig, slice: SliceSpec | null) {
  const result = analyze(data, config, { slice });
  return computeSections(data, getWorkspace(data, config.precedence), slice, config, result, ALL);
}

describe("computeSections", () => {
  const configs = [
    cfg(),
    cfg({ tiers: { ...CALIBRATED.tiers, read: -0.7, error: 0.4 } }),
    cfg({ estimator: "grpo" }),
    cfg({ estimator: "mt_grpo", precedence: ["gold", "soft", "read", "error", "duplicate", "state", "message"] }),
    cfg({ estimator: "gtpo", gn_scope: "pooled", delta: 0.02 }),
  ];
  const slices: (SliceSpec | null)[] = [null, { w: 2 }, { behavior: ["terse", "no_ids"] }];

  it("the cached layout gives the same sections as a cold computation", () => {
    clearInvariantCache(data);
    for (const slice of slices) {
      for (const config of configs) {
        // Warm the layout with other tier values (the layout must not depend on them).
        sections(cfg({ ...config, tiers: { ...config.tiers, gold: -0.3 } }), slice);
        const warm = sections(config, slice);
        clearInvariantCache(data);
        expect(warm).toEqual(sections(config, slice));
      }
    }
  });

  it("agrees with a plain per-turn reference", () => {
    for (const slice of slices) {
      const config = cfg({ estimator: "hybrid", lambda: 0.5 });
      const got = sections(config, slice);
      const ws = getWorkspace(data, config.precedence);
      const mask = buildSliceMask(data, slice);
      const cells = new Map<string, { turns: number; dead: number; sum: number[]; n: number[] }>();
      const heat = new Map<string, { sum: number; n: number }>();
      let maxAbs = 0;
      let passTurns = 0;
      for (let i = 0; i < data.nRollouts; i++) {
        if (mask && !mask[i]) continue;
        const key = `${data.rolloutW[i]}:${data.rolloutB[i]}`;
        const cell = cells.get(key) ?? { turns: 0, dead: 0, sum: TIER_NAMES.map(() => 0), n: TIER_NAMES.map(() => 0) };
        cells.set(key, cell);
        for (let t = data.turnOffsets[i]; t < data.turnOffsets[i + 1]; t++) {
          const a = ws.adv[t];
          cell.turns++;
          if (Math.abs(a) < 1e-9) cell.dead++;
          cell.sum[ws.tier[t]] += a;
          cell.n[ws.tier[t]]++;
          const h = `${Math.min(data.turnPos[t], HEATMAP_MAX_POSITION)}:${ws.tier[t]}`;
          const hv = heat.get(h) ?? { sum: 0, n: 0 };
          hv.sum += a;
          hv.n++;
          heat.set(h, hv);
          maxAbs = Math.max(maxAbs, Math.abs(a));
          if (data.outcome[i] === 1) passTurns++;
        }
      }
      expect(got.cells!.length).toBe(cells.size);
      for (const c of got.cells!) {
        const ref = cells.get(`${c.w}:${c.b}`)!;
        expect(c.n_turns).toBe(ref.turns);
        expect(c.dead_turn_pct).toBeCloseTo(ref.turns ? (100 * ref.dead) / ref.turns : NaN, 12);
        TIER_NAMES.forEach((tier, k) => {
          if (ref.n[k] === 0) expect(c.mean_adv[tier]).toBeNull();
          else expect(c.mean_adv[tier]).toBeCloseTo(ref.sum[k] / ref.n[k], 12);
        });
      }
      const h = got.heatmap!;
      h.positions.forEach((p, row) =>
        TIER_NAMES.forEach((_, k) => {
          const ref = heat.get(`${p}:${k}`);
          expect(h.n[row][k]).toBe(ref?.n ?? 0);
          if (ref) expect(h.mean_adv[row][k]).toBeCloseTo(ref.sum / ref.n, 12);
          else expect(h.mean_adv[row][k]).toBeNull();
        }),
      );
      const d = got.distribution!;
      expect(d.clip).toBe(Math.max(0.5, Math.min(10, Math.ceil(maxAbs * 2) / 2)));
      expect(d.pass.n).toBe(passTurns);
      expect(d.bins.reduce((s, b) => s + b.pass, 0)).toBe(passTurns);
      expect(d.bins.reduce((s, b) => s + b.pass + b.fail, 0)).toBe(d.pass.n + d.fail.n);
    }
  });
});
