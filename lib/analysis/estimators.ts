/**
 * Advantage estimators of docs/reward-calibration.md §4 over columnar data: GRPO, MT-GRPO (Eq. 1),
 * GTPO and the hybrid (Eq. 2). Everything is written into caller-owned Float64Arrays; the loops
 * touch typed arrays only. Group normalisation GN gives exactly 0 ("dead") when the set has fewer
 * than 2 values, all values are equal, or n − ddof ≤ 0.
 */
import type { ColumnarRollouts } from "./columnar";

export type EstimatorKind = "grpo" | "mt_grpo" | "gtpo" | "hybrid";

export interface EstimatorParams {
  estimator: EstimatorKind;
  gamma: number;
  lambda: number;
  eps: number;
  ddof: number;
  gn_scope: "per_position" | "pooled";
}

export interface AdvantageBuffers {
  /** Per turn, inputs. */
  reward: Float64Array;
  /** Per turn, outputs. */
  ai: Float64Array;
  adv: Float64Array;
  ret: Float64Array;
  /** Per rollout, output. */
  ao: Float64Array;
  /** Group scratch, at least the largest group size. */
  memberStart: Int32Array;
  memberLen: Int32Array;
  memberTurn: Int32Array;
  memberVal: Float64Array;
}

/** AO_i = GN(o) within each group. */
function outcomeAdvantage(data: ColumnarRollouts, p: EstimatorParams, ao: Float64Array): void {
  const { groupRolloutOffsets: goff, groupRollouts: members, outcome } = data;
  for (let g = 0; g < data.nGroups; g++) {
    const a = goff[g];
    const b = goff[g + 1];
    const n = b - a;
    let sum = 0;
    let passes = 0;
    for (let j = a; j < b; j++) passes += outcome[members[j]];
    sum = passes;
    if (n < 2 || passes === 0 || passes === n || n - p.ddof <= 0) {
      for (let j = a; j < b; j++) ao[members[j]] = 0;
      continue;
    }
    const mean = sum / n;
    let ss = 0;
    for (let j = a; j < b; j++) {
      const d = outcome[members[j]] - mean;
      ss += d * d;
    }
    const inv = 1 / (Math.sqrt(ss / (n - p.ddof)) + p.eps);
    for (let j = a; j < b; j++) {
      const i = members[j];
      ao[i] = (outcome[i] - mean) * inv;
    }
  }
}

/** dst = GN of src across the group's rollouts at each position (ragged: only rollouts that reach it). */
function perPositionGn(data: ColumnarRollouts, p: EstimatorParams, src: Float64Array, dst: Float64Array, buf: AdvantageBuffers): void {
  const { groupRolloutOffsets: goff, groupRollouts: members, turnOffsets } = data;
  const starts = buf.memberStart;
  const lens = buf.memberLen;
  const at = buf.memberTurn;
  const vals = buf.memberVal;
  const ddof = p.ddof;
  const eps = p.eps;
  for (let g = 0; g < data.nGroups; g++) {
    const a = goff[g];
    const m = goff[g + 1] - a;
    let maxK = 0;
    let minK = 0x7fffffff;
    for (let j = 0; j < m; j++) {
      const i = members[a + j];
      const s = turnOffsets[i];
      const k = turnOffsets[i + 1] - s;
      starts[j] = s;
      lens[j] = k;
      if (k > maxK) maxK = k;
      if (k < minK) minK = k;
    }
    for (let l = 0; l < maxK; l++) {
      // Gather the position's values once into dense scratch (all rollouts while l < min length).
      let n = 0;
      let sum = 0;
      let lo = Infinity;
      let hi = -Infinity;
      for (let j = 0; j < m; j++) {
        if (l >= minK && lens[j] <= l) continue;
        const t = starts[j] + l;
        const v = src[t];
        at[n] = t;
        vals[n] = v;
        sum += v;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
        n++;
      }
      if (n < 2 || lo === hi || n - ddof <= 0) {
        for (let q = 0; q < n; q++) dst[at[q]] = 0;
        continue;
      }
      const mean = sum / n;
      let ss = 0;
      for (let q = 0; q < n; q++) {
        const d = vals[q] - mean;
        ss += d * d;
      }
      const inv = 1 / (Math.sqrt(ss / (n - ddof)) + eps);
      for (let q = 0; q < n; q++) dst[at[q]] = (vals[q] - mean) * inv;
    }
  }
}

/** dst = GN of src over every turn of the group together. */
function pooledGn(data: ColumnarRollouts, p: EstimatorParams, src: Float64Array, dst: Float64Array): void {
  const { groupRolloutOffsets: goff, groupRollouts: members, turnOffsets } = data;
  for (let g = 0; g < data.nGroups; g++) {
    const a = goff[g];
    const b = goff[g + 1];
    let n = 0;
    let sum = 0;
    let lo = Infinity;
    let hi = -Infinity;
    let withTurns = 0;
    for (let j = a; j < b; j++) {
      const i = members[j];
      if (turnOffsets[i + 1] > turnOffsets[i]) withTurns++;
      for (let t = turnOffsets[i], e = turnOffsets[i + 1]; t < e; t++) {
        const v = src[t];
        sum += v;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
        n++;
      }
    }
    // A group of one has no baseline even though its own turns form a set: dead, as in every other scope.
    const dead = withTurns < 2 || n < 2 || lo === hi || n - p.ddof <= 0;
    const mean = n > 0 ? sum / n : 0;
    let inv = 0;
    if (!dead) {
      let ss = 0;
      for (let j = a; j < b; j++) {
        const i = members[j];
        for (let t = turnOffsets[i], e = turnOffsets[i + 1]; t < e; t++) {
          const d = src[t] - mean;
          ss += d * d;
        }
      }
      inv = 1 / (Math.sqrt(ss / (n - p.ddof)) + p.eps);
    }
    for (let j = a; j < b; j++) {
      const i = members[j];
      for (let t = turnOffsets[i], e = turnOffsets[i + 1]; t < e; t++) dst[t] = dead ? 0 : (src[t] - mean) * inv;
    }
  }
}

/** Fill ao (per rollout) and ai, adv (and ret for GTPO/hybrid) per turn from buf.reward. */
export function computeAdvantages(data: ColumnarRollouts, p: EstimatorParams, buf: AdvantageBuffers): void {
  const { turnOffsets, outcome } = data;
  const { reward, ai, adv, ret, ao } = buf;
  const R = data.nRollouts;
  outcomeAdvantage(data, p, ao);

  if (p.estimator === "grpo") {
    for (let i = 0; i < R; i++) {
      const v = ao[i];
      for (let t = turnOffsets[i], e = turnOffsets[i + 1]; t < e; t++) {
        ai[t] = 0;
        adv[t] = v;
      }
    }
    return;
  }

  if (p.estimator === "mt_grpo") {
    perPositionGn(data, p, reward, ai, buf);
    // A_{i,k} = Σ_{l≥k} AI_{i,l} + AO_i: a reverse running sum per rollout.
    for (let i = 0; i < R; i++) {
      let acc = ao[i];
      for (let t = turnOffsets[i + 1] - 1, s = turnOffsets[i]; t >= s; t--) {
        acc += ai[t];
        adv[t] = acc;
      }
    }
    return;
  }

  // GTPO / hybrid: G at K_i is o_i; G_{i,k} = r_{i,k} + γ·G_{i,k+1}.
  const gamma = p.gamma;
  for (let i = 0; i < R; i++) {
    let g = outcome[i];
    for (let t = turnOffsets[i + 1] - 1, s = turnOffsets[i]; t >= s; t--) {
      g = reward[t] + gamma * g;
      ret[t] = g;
    }
  }
  if (p.gn_scope === "pooled") pooledGn(data, p, ret, ai);
  else perPositionGn(data, p, ret, ai, buf);
  const lambda = p.estimator === "hybrid" ? p.lambda : 0;
  for (let i = 0; i < R; i++) {
    const bonus = lambda * ao[i];
    for (let t = turnOffsets[i], e = turnOffsets[i + 1]; t < e; t++) adv[t] = ai[t] + bonus;
  }
}
