/**
 * Discriminativeness of each tier over rollouts (docs/reward-calibration.md §3): point-biserial
 * rho (= Pearson) of tier presence vs outcome with Fisher CI and t-test p, presence rates by
 * outcome, occurrence shares, and the count-weighted variant (x = share of the rollout's turns).
 */
import { TIER_COUNT } from "../rewards";
import type { ColumnarRollouts } from "./columnar";
import { correlate, fisherCi, pearsonPValue, type CorrelationSummary } from "./stats";
import type { AnalysisWorkspace } from "./workspace";

export interface TierDiscrimination {
  rho: number | null;
  ci: [number, number] | null;
  p: number | null;
  /** Rollouts (in the window) where the tier occurs. */
  n_present: number;
  /** Turns (in the window) in the tier. */
  n_turns: number;
  p_present_pass: number | null;
  p_present_fail: number | null;
  /** (P(present|pass) − P(present|fail)) · 100. */
  gap_pp: number | null;
  /** Share of the tier's turns that are in passing / failing rollouts. */
  share_pass: number | null;
  share_fail: number | null;
  rho_weighted: number | null;
  ci_weighted: [number, number] | null;
  p_weighted: number | null;
}

/**
 * Pearson r of two binary variables from their 2×2 counts (the phi coefficient): the same value
 * as the two-pass loop, with no pass over the rollouts. null when either side is constant.
 */
export function phiFromCounts(n: number, xOnes: number, bothOnes: number, yOnes: number): CorrelationSummary {
  if (n < 2 || xOnes === 0 || xOnes === n || yOnes === 0 || yOnes === n) return { r: null, ci: null, p: null, n };
  const num = n * bothOnes - xOnes * yOnes;
  let r = num / Math.sqrt(xOnes * (n - xOnes) * yOnes * (n - yOnes));
  r = r > 1 ? 1 : r < -1 ? -1 : r;
  return { r, ci: fisherCi(r, n), p: pearsonPValue(r, n), n };
}

export function computeTierDiscrimination(
  data: ColumnarRollouts,
  ws: AnalysisWorkspace,
  mask: Uint8Array | null,
): { tiers: TierDiscrimination[]; n: number } {
  const { outcome, turnOffsets } = data;
  const { rolloutTiers, rolloutTierCount, scratchX: x, scratchY: y } = ws;
  const R = data.nRollouts;
  // Module constants are getters once transpiled to CommonJS: keep them local in hot loops.
  const TC = TIER_COUNT;
  // Compact selected rollouts once: y is shared by every tier.
  let n = 0;
  let passes = 0;
  const idx = new Int32Array(R);
  for (let i = 0; i < R; i++) {
    if (mask && !mask[i]) continue;
    idx[n++] = i;
    passes += outcome[i];
  }
  for (let j = 0; j < n; j++) y[j] = outcome[idx[j]];
  const fails = n - passes;
  const out: TierDiscrimination[] = [];
  for (let c = 0; c < TC; c++) {
    const bit = 1 << c;
    let present = 0;
    let presentPass = 0;
    let turns = 0;
    let turnsPass = 0;
    for (let j = 0; j < n; j++) {
      const i = idx[j];
      const has = (rolloutTiers[i] & bit) !== 0 ? 1 : 0;
      present += has;
      presentPass += has & outcome[i];
      const cnt = rolloutTierCount[i * TC + c];
      turns += cnt;
      if (outcome[i]) turnsPass += cnt;
    }
    const binary = phiFromCounts(n, present, presentPass, passes);
    for (let j = 0; j < n; j++) {
      const i = idx[j];
      const k = turnOffsets[i + 1] - turnOffsets[i];
      x[j] = k > 0 ? rolloutTierCount[i * TC + c] / k : 0;
    }
    const weighted = correlate(x, y, n);
    const pPass = passes > 0 ? presentPass / passes : null;
    const pFail = fails > 0 ? (present - presentPass) / fails : null;
    out.push({
      rho: binary.r,
      ci: binary.ci,
      p: binary.p,
      n_present: present,
      n_turns: turns,
      p_present_pass: pPass,
      p_present_fail: pFail,
      gap_pp: pPass !== null && pFail !== null ? (pPass - pFail) * 100 : null,
      share_pass: turns > 0 ? turnsPass / turns : null,
      share_fail: turns > 0 ? (turns - turnsPass) / turns : null,
      rho_weighted: weighted.r,
      ci_weighted: weighted.ci,
      p_weighted: weighted.p,
    });
  }
  return { tiers: out, n };
}
