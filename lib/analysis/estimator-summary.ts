/**
 * Summaries of one estimator's run (tier alignment, IRC's stop rule, dead turns, gradient
 * shares) and the outcome-side numbers next to them (group mix, Corr(r̄, o)). Output numbers
 * are finite or null.
 */
import { TIER_COUNT, TIER_NAMES, type RewardConfig, type TierName } from "../rewards";
import type { AnalysisResult, EstimatorSummary, StopRuleState } from "./analysis-result";
import type { ColumnarRollouts } from "./columnar";
import type { TurnDiagnostics } from "./diagnostics";
import { tierDirection } from "./direction";
import type { TierDiscrimination } from "./discriminativeness";
import type { EstimatorKind } from "./estimators";
import { pearson } from "./stats";
import type { AnalysisWorkspace } from "./workspace";

const pct = (part: number, whole: number): number | null => (whole > 0 ? (100 * part) / whole : null);
const fin = (v: number): number | null => (Number.isFinite(v) ? v : null);

export function summarize(
  estimator: EstimatorKind,
  diag: TurnDiagnostics,
  disc: TierDiscrimination[],
  config: RewardConfig,
  corrMeanReward: number | null,
): EstimatorSummary {
  const tiers = {} as EstimatorSummary["tiers"];
  const gradient_share = {} as Record<TierName, number | null>;
  let mismatches = 0;
  let undefinedDirection = 0;
  for (let c = 0; c < TIER_COUNT; c++) {
    const name = TIER_NAMES[c];
    const rho = disc[c].rho;
    const intended: 1 | -1 | null = rho === null || Math.abs(rho) <= config.delta ? null : rho > 0 ? 1 : -1;
    const meanAdv = fin(diag.meanAdv[c]);
    let aligned: boolean | null = null;
    if (intended !== null) {
      const direction = tierDirection(meanAdv, intended);
      if (direction === "none") undefinedDirection++;
      else {
        aligned = direction === "aligned";
        if (!aligned) mismatches++;
      }
    }
    tiers[name] = {
      mean_ai: estimator === "grpo" ? null : fin(diag.meanAi[c]),
      mean_adv: meanAdv,
      intended_sign: intended,
      aligned,
    };
    gradient_share[name] = diag.gradientTotal > 0 ? diag.gradient[c] / diag.gradientTotal : null;
  }
  const live = diag.turns - diag.deadTurns;
  const stop = stopRuleState(mismatches, undefinedDirection, corrMeanReward, config.eta);
  return {
    estimator,
    tiers,
    mismatches,
    undefined_direction: undefinedDirection,
    corr_adv_outcome: diag.corrAdvOutcome,
    dead_turn_pct: pct(diag.deadTurns, diag.turns),
    dead_turn_pct_cancel: pct(diag.deadCancelTurns, diag.turns),
    sign_disagreement: {
      ai_vs_adv: estimator === "grpo" ? null : diag.turns > 0 ? diag.disagreeAiAdv / diag.turns : null,
      adv_vs_ao: diag.turns > 0 ? diag.disagreeAdvAo / diag.turns : null,
    },
    gradient_share,
    gradient_weighting: diag.tokenWeighted === 0 ? "turns" : diag.tokenWeighted === live ? "tokens" : "mixed",
    stop_rule_met: stop === "met",
    stop_rule_status: stop,
  };
}

/**
 * IRC's stop rule (mismatches = 0 and Corr(r̄, o) > η), with a third answer: a tier without
 * direction cannot be judged aligned, and no tier reweighting gives it one, so the rule says
 * "undecided" instead of "continue" (which would suggest reweighting forever).
 */
export function stopRuleState(mismatches: number, undefinedDirection: number, corrMeanReward: number | null, eta: number): StopRuleState {
  if (mismatches > 0) return "continue";
  if (undefinedDirection > 0) return "undecided";
  return corrMeanReward !== null && corrMeanReward > eta ? "met" : "continue";
}

export function groupMix(data: ColumnarRollouts, mask: Uint8Array | null): AnalysisResult["groups"] {
  const { groupRolloutOffsets: goff, groupRollouts: members, outcome } = data;
  let allPass = 0;
  let allFail = 0;
  let mixed = 0;
  for (let g = 0; g < data.nGroups; g++) {
    let selected = false;
    let passes = 0;
    const a = goff[g];
    const b = goff[g + 1];
    for (let j = a; j < b; j++) {
      const i = members[j];
      if (!mask || mask[i]) selected = true;
      passes += outcome[i];
    }
    if (!selected || b === a) continue;
    if (passes === b - a) allPass++;
    else if (passes === 0) allFail++;
    else mixed++;
  }
  const n = allPass + allFail + mixed;
  return { all_pass: pct(allPass, n), all_fail: pct(allFail, n), mixed: pct(mixed, n), n };
}

export function corrMeanRewardOutcome(data: ColumnarRollouts, ws: AnalysisWorkspace, mask: Uint8Array | null): number | null {
  // Rollouts without turns have no mean reward and are left out.
  const x = ws.scratchX;
  const y = ws.scratchY;
  let n = 0;
  for (let i = 0; i < data.nRollouts; i++) {
    if (mask && !mask[i]) continue;
    if (data.turnOffsets[i + 1] === data.turnOffsets[i]) continue;
    x[n] = ws.meanReward[i];
    y[n] = data.outcome[i];
    n++;
  }
  return pearson(x, y, n);
}
