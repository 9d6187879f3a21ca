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

const sign = (v: number): number => (v > DEAD_EPS ? 1 : v < -DEAD_EPS ? -1 : 0);

export function computeTurnDiagnostics(data: ColumnarRollouts, ws: AnalysisWorkspace, mask: Uint8Array | null): TurnDiagnostics {
  const { turnOffsets, turnTokens, outcome } = data;
  const { tier, ai, adv, ao } = ws;
  const R = data.nRollouts;
  const tierTurns = new Float64Array(TIER_COUNT);
  const sumAi = new Float64Array(TIER_COUNT);
  const sumAdv = new Float64Array(TIER_COUNT);
  const gradient = new Float64Array(TIER_COUNT);
  let turns = 0;
  let dead = 0;
  let gradientTotal = 0;
  let tokenWeighted = 0;
  let disAiAdv = 0;
  let disAdvAo = 0;
  let sumA = 0;
  let sumO = 0;
  for (let i = 0; i < R; i++) {
    if (mask && !mask[i]) continue;
    const o = outcome[i];
    const sAo = sign(ao[i]);
    const s = turnOffsets[i];
    const e = turnOffsets[i + 1];
    sumO += o * (e - s);
    for (let t = s; t < e; t++) {
      const c = tier[t];
      const a = adv[t];
      const x = ai[t];
      tierTurns[c]++;
      sumAi[c] += x;
      sumAdv[c] += a;
      sumA += a;
      const sA = a > DEAD_EPS ? 1 : a < -DEAD_EPS ? -1 : 0;
      if (sA === 0) dead++;
      else {
        const tok = turnTokens[t];
        let w = 1;
        if (tok > 0) {
          w = tok;
          tokenWeighted++;
        }
        const g = (a < 0 ? -a : a) * w;
        gradient[c] += g;
        gradientTotal += g;
      }
      const sAi = x > DEAD_EPS ? 1 : x < -DEAD_EPS ? -1 : 0;
      if (sAi * sA < 0) disAiAdv++;
      if (sA * sAo < 0) disAdvAo++;
    }
    turns += e - s;
  }
  const meanAi = new Float64Array(TIER_COUNT);
  const meanAdv = new Float64Array(TIER_COUNT);
  for (let c = 0; c < TIER_COUNT; c++) {
    meanAi[c] = tierTurns[c] > 0 ? sumAi[c] / tierTurns[c] : Number.NaN;
    meanAdv[c] = tierTurns[c] > 0 ? sumAdv[c] / tierTurns[c] : Number.NaN;
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
      for (let t = turnOffsets[i], e = turnOffsets[i + 1]; t < e; t++) {
        const dA = adv[t] - mA;
        saa += dA * dA;
        sao += dA * dO;
      }
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
 * "≈ 0" is |ΣA| ≤ 1e-9 · max(1, Σ|A|) (rounding of opposite sums). Buckets are found by a
 * quadratic scan per position, cheap because groups are small (N ≈ 4–16).
 */
export function countCancelledTurns(data: ColumnarRollouts, ws: AnalysisWorkspace, mask: Uint8Array | null): number {
  const { groupRolloutOffsets: goff, groupRollouts: members, turnOffsets, turnAction } = data;
  const { adv, memberStart: starts, memberLen: lens, memberTurn: act, memberDone: sel, memberVal: val } = ws;
  const eps = EPS;
  let cancelled = 0;
  for (let g = 0; g < data.nGroups; g++) {
    const a = goff[g];
    const m = goff[g + 1] - a;
    let maxK = 0;
    let anySelected = false;
    for (let j = 0; j < m; j++) {
      const i = members[a + j];
      if (!mask || mask[i]) anySelected = true;
      const s = turnOffsets[i];
      starts[j] = s;
      lens[j] = turnOffsets[i + 1] - s;
      if (lens[j] > maxK) maxK = lens[j];
    }
    if (!anySelected) continue;
    for (let l = 0; l < maxK; l++) {
      // Gather this position's (action, A, selected) into tiny dense scratch arrays.
      let n = 0;
      for (let j = 0; j < m; j++) {
        if (lens[j] <= l) continue;
        const t = starts[j] + l;
        act[n] = turnAction[t];
        val[n] = adv[t];
        sel[n] = !mask || mask[members[a + j]] ? 1 : 0;
        n++;
      }
      for (let u = 0; u < n; u++) {
        const action = act[u];
        let first = true;
        for (let v = 0; v < u; v++) {
          if (act[v] === action) {
            first = false;
            break;
          }
        }
        if (!first) continue;
        let sum = val[u];
        let abs = Math.abs(sum);
        let count = sel[u];
        for (let v = u + 1; v < n; v++) {
          if (act[v] !== action) continue;
          sum += val[v];
          abs += Math.abs(val[v]);
          count += sel[v];
        }
        if (Math.abs(sum) <= eps * (abs > 1 ? abs : 1)) cancelled += count;
      }
    }
  }
  return cancelled;
}
