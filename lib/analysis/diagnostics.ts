/**
 * Turn-level diagnostics of one estimator's advantages (docs/reward-calibration.md §5):
 * per-tier means, dead turns (both definitions), gradient share, sign disagreement, Corr(adv, out).
 * One or two tight passes over typed arrays; results are small fixed-size arrays.
 */
import { TIER_COUNT } from "../rewards";
import type { ColumnarRollouts } from "./columnar";
import type { AnalysisWorkspace } from "./workspace";

/** |A| below this is a dead turn; values this close to 0 also count as sign 0. */
export const DEAD_EPS = 1e-9;
const EPS = DEAD_EPS;

/**
 * TIER_COUNT as a literal module constant: the JIT folds it into the per-turn loop (the
 * accumulator's bounds, the per-tier loops), which it cannot do for an imported binding (a
 * getter once compiled) copied into a local; measured ~20% of this pass.
 */
const TC = 7;
if (TC !== TIER_COUNT) throw new Error(`lib/analysis/diagnostics assumes ${TC} tiers, lib/rewards defines ${TIER_COUNT}`);

export interface TurnDiagnostics {
  turns: number;
  tierTurns: Float64Array;
  meanAi: Float64Array;
  meanAdv: Float64Array;
  deadTurns: number;
  deadCancelTurns: number;
  /** Σ|A|·w per tier over live turns, and the total. */
  gradient: Float64Array;
  gradientTotal: number;
  /** Turns whose weight came from reported tokens (vs the fallback 1). */
  tokenWeighted: number;
  disagreeAiAdv: number;
  disagreeAdvAo: number;
  corrAdvOutcome: number | null;
}


export function computeTurnDiagnostics(data: ColumnarRollouts, ws: AnalysisWorkspace, mask: Uint8Array | null): TurnDiagnostics {
  const { turnOffsets, turnTokens, outcome } = data;
  const { tier, ai, adv, ao, rolloutTierCount } = ws;
  const R = data.nRollouts;
  const eps = EPS;
  // One strided accumulator (sumAi, sumAdv, gradient per tier): independent chains, one cache line.
  const acc = new Float64Array(TC * 3);
  const tierTurns = new Float64Array(TC);
  let turns = 0;
  let dead = 0;
  let gradientTotal = 0;
  let tokenWeighted = 0;
  let disAiAdv = 0;
  let disAdvAo = 0;
  let sumA = 0;
  let sumO = 0;
  const negEps = -eps;
  for (let i = 0; i < R; i++) {
    if (mask && !mask[i]) continue;
    const o = outcome[i];
    const aoi = ao[i];
    const aoPos = (aoi > eps) as unknown as number;
    const aoNeg = (aoi < negEps) as unknown as number;
    const s = turnOffsets[i];
    const e = turnOffsets[i + 1];
    sumO += o * (e - s);
    const base = i * TC;
    for (let c = 0; c < TC; c++) tierTurns[c] += rolloutTierCount[base + c];
    // Branch-free: whether a turn is live and the signs are data (random), not branches the CPU
    // can predict. A dead turn adds g = +0 to sums that are ≥ +0: the same sums as skipping it.
    for (let t = s; t < e; t++) {
      const c3 = tier[t] * 3;
      const a = adv[t];
      const x = ai[t];
      acc[c3] += x;
      acc[c3 + 1] += a;
      sumA += a;
      // Beyond the dead threshold on either side (|a| > eps); booleans as 0/1 for the counts.
      const aPos = (a > eps) as unknown as number;
      const aNeg = (a < negEps) as unknown as number;
      const live = aPos | aNeg;
      const tok = turnTokens[t];
      const hasTokens = (tok > 0) as unknown as number;
      const g = live ? Math.abs(a) * (hasTokens ? tok : 1) : 0;
      acc[c3 + 2] += g;
      gradientTotal += g;
      dead += live ^ 1;
      tokenWeighted += live & hasTokens;
      // Opposite signs, both beyond the dead threshold.
      disAiAdv += (((x > eps) as unknown as number) & aNeg) | (((x < negEps) as unknown as number) & aPos);
      disAdvAo += (aoPos & aNeg) | (aoNeg & aPos);
    }
    turns += e - s;
  }
  const meanAi = new Float64Array(TC);
  const meanAdv = new Float64Array(TC);
  const gradient = new Float64Array(TC);
  for (let c = 0; c < TC; c++) {
    meanAi[c] = tierTurns[c] > 0 ? acc[c * 3] / tierTurns[c] : Number.NaN;
    meanAdv[c] = tierTurns[c] > 0 ? acc[c * 3 + 1] / tierTurns[c] : Number.NaN;
    gradient[c] = acc[c * 3 + 2];
  }
  // Corr(A, o) over turns, second (centred) pass.
  let corr: number | null = null;
  if (turns >= 2) {
    const mA = sumA / turns;
    const mO = sumO / turns;
    let saa = 0;
    let soo = 0;
    let sao = 0;
    for (let i = 0; i < R; i++) {
      if (mask && !mask[i]) continue;
      const dO = outcome[i] - mO;
      let sd = 0;
      for (let t = turnOffsets[i], e = turnOffsets[i + 1]; t < e; t++) {
        const dA = adv[t] - mA;
        saa += dA * dA;
        sd += dA;
      }
      sao += sd * dO;
      soo += dO * dO * (turnOffsets[i + 1] - turnOffsets[i]);
    }
    if (saa > 0 && soo > 0) {
      const r = sao / Math.sqrt(saa * soo);
      corr = Number.isFinite(r) ? Math.max(-1, Math.min(1, r)) : null;
    }
  }
  return {
    turns,
    tierTurns,
    meanAi,
    meanAdv,
    deadTurns: dead,
    deadCancelTurns: countCancelledTurns(data, ws, mask),
    gradient,
    gradientTotal,
    tokenWeighted,
    disagreeAiAdv: disAiAdv,
    disagreeAdvAo: disAdvAo,
    corrAdvOutcome: corr,
  };
}

/**
 * Position-level cancellation: turns bucketed by (group, position, canonical action) whose
 * advantages sum to ≈ 0 push the same action both ways and contribute no net gradient.
 * "≈ 0" is |ΣA| ≤ 1e-9 · max(1, Σ|A|) (rounding of opposite sums). A bucket sums every turn
 * of the group (the gradient the group produces); only selected turns are counted.
 * Reads the workspace's bucket lists: sums in ascending turn order per bucket, as a scatter
 * over all turns would take them, without the scatter.
 */
export function countCancelledTurns(data: ColumnarRollouts, ws: AnalysisWorkspace, mask: Uint8Array | null): number {
  const { turnRollout } = data;
  const { adv, multiBucketTurns: turns, multiBucketOffsets: offsets, nMultiBuckets, singleBucketTurns: singles, nSingleBucketTurns } = ws;
  const eps = EPS;
  let cancelled = 0;
  for (let k = 0; k < nMultiBuckets; k++) {
    const from = offsets[k];
    const to = offsets[k + 1];
    let sum = 0;
    let abs = 0;
    for (let j = from; j < to; j++) {
      const a = adv[turns[j]];
      sum += a;
      abs += Math.abs(a);
    }
    if (!(Math.abs(sum) <= eps * (abs > 1 ? abs : 1))) continue;
    if (!mask) cancelled += to - from;
    else for (let j = from; j < to; j++) cancelled += mask[turnRollout[turns[j]]] ? 1 : 0;
  }
  // A bucket of one turn: ΣA = A and Σ|A| = |A|, the same test on the turn alone.
  for (let j = 0; j < nSingleBucketTurns; j++) {
    const t = singles[j];
    if (mask && !mask[turnRollout[t]]) continue;
    const abs = Math.abs(adv[t]);
    if (abs <= eps * (abs > 1 ? abs : 1)) cancelled++;
  }
  return cancelled;
}
