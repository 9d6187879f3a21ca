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
  /** Per-position scratch, at least the longest rollout's turn count. */
  posSum: Float64Array;
  posCnt: Int32Array;
  posLo: Float64Array;
  posHi: Float64Array;
  posSs: Float64Array;
}

/** Buffers for a standalone computeAdvantages call (analyze uses its cached workspace instead). */
export function allocateAdvantageBuffers(data: ColumnarRollouts): AdvantageBuffers {
  let maxK = 1;
  for (let i = 0; i < data.nRollouts; i++) maxK = Math.max(maxK, data.turnOffsets[i + 1] - data.turnOffsets[i]);
  const T = Math.max(1, data.nTurns);
  return {
    reward: new Float64Array(T),
    ai: new Float64Array(T),
    adv: new Float64Array(T),
    ret: new Float64Array(T),
    ao: new Float64Array(Math.max(1, data.nRollouts)),
    posSum: new Float64Array(maxK),
    posCnt: new Int32Array(maxK),
    posLo: new Float64Array(maxK),
    posHi: new Float64Array(maxK),
    posSs: new Float64Array(maxK),
  };
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

/**
 * dst = GN of src across the group's rollouts at each position (ragged: only rollouts that reach it).
 * Rollout-major with per-position accumulators, so src and dst are read and written contiguously.
 */
function perPositionGn(data: ColumnarRollouts, p: EstimatorParams, src: Float64Array, dst: Float64Array, buf: AdvantageBuffers): void {
  const { groupRolloutOffsets: goff, groupRollouts: members, turnOffsets } = data;
  const { posSum, posCnt, posLo, posHi, posSs } = buf;
  const ddof = p.ddof;
  const eps = p.eps;
  for (let g = 0; g < data.nGroups; g++) {
    const a = goff[g];
    const b = goff[g + 1];
    let maxK = 0;
    for (let j = a; j < b; j++) {
      const i = members[j];
      const k = turnOffsets[i + 1] - turnOffsets[i];
      if (k > maxK) maxK = k;
    }
    for (let l = 0; l < maxK; l++) {
      posSum[l] = 0;
      posCnt[l] = 0;
      posLo[l] = Infinity;
      posHi[l] = -Infinity;
      posSs[l] = 0;
    }
    for (let j = a; j < b; j++) {
      const i = members[j];
      const s = turnOffsets[i];
      const k = turnOffsets[i + 1] - s;
      for (let l = 0; l < k; l++) {
        const v = src[s + l];
        posSum[l] += v;
        posCnt[l]++;
        // Plain compares (rarely taken after the first rollouts) beat Math.min/max's NaN and -0 handling.
        if (v < posLo[l]) posLo[l] = v;
        if (v > posHi[l]) posHi[l] = v;
      }
    }
    // posSum becomes the mean; posLo is reused as the scale (0 for a dead position).
    for (let l = 0; l < maxK; l++) {
      const n = posCnt[l];
      posSum[l] = posSum[l] / n;
      posLo[l] = n < 2 || posLo[l] === posHi[l] || n - ddof <= 0 ? 0 : 1;
    }
    for (let j = a; j < b; j++) {
      const i = members[j];
      const s = turnOffsets[i];
      const k = turnOffsets[i + 1] - s;
      for (let l = 0; l < k; l++) {
        const d = src[s + l] - posSum[l];
        posSs[l] += d * d;
      }
    }
    for (let l = 0; l < maxK; l++) {
      posSs[l] = posLo[l] === 0 ? 0 : 1 / (Math.sqrt(posSs[l] / (posCnt[l] - ddof)) + eps);
    }
    for (let j = a; j < b; j++) {
      const i = members[j];
      const s = turnOffsets[i];
      const k = turnOffsets[i + 1] - s;
      // "+ 0" turns the -0 of a dead value into +0.
      for (let l = 0; l < k; l++) dst[s + l] = (src[s + l] - posSum[l]) * posSs[l] + 0;
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
  addOutcomeBonus(data, p, buf);
}

/** GTPO / hybrid: A = GN(G) + λ·AO (λ = 0 for GTPO). */
function addOutcomeBonus(data: ColumnarRollouts, p: EstimatorParams, buf: AdvantageBuffers): void {
  const { turnOffsets } = data;
  const { ai, adv, ao } = buf;
  const lambda = p.estimator === "hybrid" ? p.lambda : 0;
  for (let i = 0; i < data.nRollouts; i++) {
    const bonus = lambda * ao[i];
    for (let t = turnOffsets[i], e = turnOffsets[i + 1]; t < e; t++) adv[t] = ai[t] + bonus;
  }
}

/**
 * GTPO and the hybrid share everything but λ: AO, the returns G and their normalisation GN(G)
 * (the per-turn part) depend on the rewards, γ, scope, ddof and eps only. Right after
 * computeAdvantages for one of them with the same rewards and those same knobs, this gives the
 * other's advantages without normalising again (identical to a full computeAdvantages call).
 */
export function switchGtpoHybrid(data: ColumnarRollouts, p: EstimatorParams, buf: AdvantageBuffers): void {
  if (p.estimator !== "gtpo" && p.estimator !== "hybrid") throw new Error(`switchGtpoHybrid: ${p.estimator} is neither GTPO nor hybrid`);
  addOutcomeBonus(data, p, buf);
}
