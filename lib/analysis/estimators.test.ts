import { describe, expect, it } from "vitest";
import { mulberry32 } from "../random/prng";
import { columnarFromRows, type CompactRolloutRow } from "./columnar";
import { allocateAdvantageBuffers, computeAdvantages, type EstimatorParams } from "./estimators";

const rng = mulberry32;

interface Group {
  rewards: number[][];
  outcomes: number[];
}

/** Straightforward reference on nested arrays: GN over a list, dead when < 2 values or all equal. */
function gn(values: number[], ddof: number, eps: number): number[] {
  const n = values.length;
  if (n < 2 || values.every((v) => v === values[0]) || n - ddof <= 0) return values.map(() => 0);
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - ddof));
  return values.map((v) => (v - mean) / (sd + eps));
}

function reference(group: Group, p: EstimatorParams): { ai: number[][]; adv: number[][] } {
  const { rewards, outcomes } = group;
  const ao = gn(outcomes, p.ddof, p.eps);
  const maxK = Math.max(0, ...rewards.map((r) => r.length));
  const perPosition = (m: number[][]) => {
    const out = m.map((row) => row.map(() => 0));
    for (let l = 0; l < maxK; l++) {
      const who = m.map((row, i) => (row.length > l ? i : -1)).filter((i) => i >= 0);
      const z = gn(who.map((i) => m[i][l]), p.ddof, p.eps);
      who.forEach((i, j) => (out[i][l] = z[j]));
    }
    return out;
  };
  if (p.estimator === "grpo") return { ai: rewards.map((r) => r.map(() => 0)), adv: rewards.map((r, i) => r.map(() => ao[i])) };
  if (p.estimator === "mt_grpo") {
    const ai = perPosition(rewards);
    const adv = ai.map((row, i) => row.map((_, k) => row.slice(k).reduce((s, v) => s + v, 0) + ao[i]));
    return { ai, adv };
  }
  const G = rewards.map((row, i) => {
    const g = new Array<number>(row.length);
    let next = outcomes[i];
    for (let k = row.length - 1; k >= 0; k--) next = g[k] = row[k] + p.gamma * next;
    return g;
  });
  let ai: number[][];
  if (p.gn_scope === "pooled") {
    const flat = G.flat();
    const withTurns = G.filter((row) => row.length > 0).length;
    const z = withTurns < 2 ? flat.map(() => 0) : gn(flat, p.ddof, p.eps);
    let c = 0;
    ai = G.map((row) => row.map(() => z[c++]));
  } else ai = perPosition(G);
  const lambda = p.estimator === "hybrid" ? p.lambda : 0;
  return { ai, adv: ai.map((row, i) => row.map((v) => v + lambda * ao[i])) };
}

function toRows(groups: Group[]): CompactRolloutRow[] {
  const rows: CompactRolloutRow[] = [];
  groups.forEach((g, gi) =>
    g.rewards.forEach((r, i) => rows.push({ rollout_id: `g${gi}-r${i}`, group_id: `g${gi}`, outcome: g.outcomes[i], masks: r.map(() => 16) })),
  );
  return rows;
}

/** Run the columnar estimator on nested groups; rollouts are interleaved across groups to exercise the CSR index. */
function runColumnar(groups: Group[], p: EstimatorParams) {
  const rows = toRows(groups);
  const order = rows.map((_, i) => i).sort((a, b) => ((a * 7919) % rows.length) - ((b * 7919) % rows.length));
  const shuffled = order.map((i) => rows[i]);
  const data = columnarFromRows(shuffled, "t");
  const T = data.nTurns;
  const reward = new Float64Array(T);
  const byId = new Map(shuffled.map((r, i) => [r.rollout_id, i]));
  groups.forEach((g, gi) =>
    g.rewards.forEach((r, i) => {
      const idx = byId.get(`g${gi}-r${i}`) as number;
      r.forEach((v, k) => (reward[data.turnOffsets[idx] + k] = v));
    }),
  );
  const buf = allocateAdvantageBuffers(data);
  buf.reward.set(reward);
  buf.ai.fill(NaN);
  buf.adv.fill(NaN);
  buf.ao.fill(NaN);
  computeAdvantages(data, p, buf);
  const pick = (arr: Float64Array) =>
    groups.map((g, gi) =>
      g.rewards.map((r, i) => {
        const idx = byId.get(`g${gi}-r${i}`) as number;
        return Array.from(arr.subarray(data.turnOffsets[idx], data.turnOffsets[idx] + r.length));
      }),
    );
  return { ai: pick(buf.ai), adv: pick(buf.adv), ao: buf.ao };
}

const BASE: EstimatorParams = { estimator: "mt_grpo", gamma: 0.9, lambda: 0.3, eps: 1e-6, ddof: 1, gn_scope: "per_position" };
const VARIANTS: EstimatorParams[] = (["grpo", "mt_grpo", "gtpo", "hybrid"] as const).flatMap((estimator) =>
  (["per_position", "pooled"] as const).flatMap((gn_scope) => [0, 1].map((ddof) => ({ ...BASE, estimator, gn_scope, ddof }))),
);

function randomGroups(seed: number, count: number): Group[] {
  const rand = rng(seed);
  const values = [1, 0.75, 0.3, 0, -0.1, -0.2];
  return Array.from({ length: count }, () => {
    const n = 1 + Math.floor(rand() * 6);
    return {
      outcomes: Array.from({ length: n }, () => (rand() < 0.5 ? 1 : 0)),
      rewards: Array.from({ length: n }, () => Array.from({ length: Math.floor(rand() * 7) }, () => values[Math.floor(rand() * values.length)])),
    };
  });
}

describe("estimators on ragged groups vs a nested-array reference", () => {
  const groups = randomGroups(11, 60);
  for (const p of VARIANTS) {
    it(`${p.estimator} ${p.gn_scope} ddof=${p.ddof}`, () => {
      const got = runColumnar(groups, p);
      groups.forEach((g, gi) => {
        const ref = reference(g, p);
        g.rewards.forEach((row, i) =>
          row.forEach((_, k) => {
            expect(Math.abs(got.adv[gi][i][k] - ref.adv[i][k])).toBeLessThan(1e-12);
            expect(Math.abs(got.ai[gi][i][k] - ref.ai[i][k])).toBeLessThan(1e-12);
          }),
        );
      });
    });
  }

  it("uses only the rollouts that reach a position (a position reached by one rollout is dead)", () => {
    const g: Group = { outcomes: [1, 0], rewards: [[1, 1, 1], [0]] };
    const got = runColumnar([g], { ...BASE, estimator: "mt_grpo" });
    expect(got.ai[0][0].slice(1)).toEqual([0, 0]);
    expect(got.ai[0][0][0]).toBeGreaterThan(0);
  });
});

describe("dead values are exactly 0", () => {
  it("all-pass and all-fail groups have AO = 0 and GRPO advantages exactly 0", () => {
    const groups: Group[] = [
      { outcomes: [1, 1, 1, 1], rewards: [[1, 0], [0.3], [1, 1, -0.1], [0]] },
      { outcomes: [0, 0, 0], rewards: [[-0.1], [0.3, 0.3], []] },
    ];
    const got = runColumnar(groups, { ...BASE, estimator: "grpo" });
    expect(Array.from(got.ao)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    for (const g of got.adv) for (const row of g) for (const v of row) expect(Object.is(v, 0)).toBe(true);
  });

  it("all-pass groups with identical per-turn rewards are 0 under every estimator", () => {
    const g: Group = { outcomes: [1, 1, 1], rewards: [[0.3, 1], [0.3, 1], [0.3, 1]] };
    // Pooled GN(G) still compares positions with each other, so only per-position scopes are all-dead here.
    for (const p of VARIANTS.filter((v) => v.gn_scope === "per_position")) {
      const got = runColumnar([g], p);
      for (const row of got.adv[0]) for (const v of row) expect(v).toBe(0);
    }
  });

  it("a group of one is dead under every estimator and scope", () => {
    const g: Group = { outcomes: [1], rewards: [[1, 0.3, -0.1, 0]] };
    for (const p of VARIANTS) {
      const got = runColumnar([g], p);
      expect(got.ao[0]).toBe(0);
      for (const v of got.adv[0][0]) expect(v).toBe(0);
      for (const v of got.ai[0][0]) expect(v).toBe(0);
    }
  });

  it("equal values that sum with rounding error still count as std = 0", () => {
    const g: Group = { outcomes: [1, 0, 1], rewards: [[0.1], [0.1], [0.1]] };
    const got = runColumnar([g], { ...BASE, estimator: "mt_grpo" });
    expect(got.ai[0].map((r) => r[0])).toEqual([0, 0, 0]);
  });

  it("ddof ≥ n makes the group dead rather than dividing by zero", () => {
    const g: Group = { outcomes: [1, 0], rewards: [[1], [0]] };
    const got = runColumnar([g], { ...BASE, estimator: "hybrid", ddof: 2 });
    expect(got.adv[0].flat()).toEqual([0, 0]);
  });
});
