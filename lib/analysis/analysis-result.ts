/** The shapes `analyze` and `compareEstimators` return (the `writ analyze` output and the calibration API's numbers). */
import type { TierName } from "../rewards";
import type { TierDiscrimination } from "./discriminativeness";
import type { EstimatorKind } from "./estimators";
import type { SliceSpec } from "./slice";

export interface AnalyzeOptions {
  slice?: SliceSpec | null;
  /** Add the per-turn list (allocates one object per turn: for export / CLI, not the dashboard). */
  includeTurns?: boolean;
}

export interface TierResult extends TierDiscrimination {
  /** Mean per-turn advantage part over the tier's turns (MT-GRPO AI; GN(G) for GTPO/hybrid; null for GRPO). */
  mean_ai: number | null;
  mean_adv: number | null;
  /** sign(rho), or null when |rho| ≤ delta or rho is n/a. */
  intended_sign: 1 | -1 | null;
  /**
   * sign(mean_adv) === intended_sign; null when skipped (intended_sign null) or when the mean
   * advantage is 0 (no direction: see ./direction.ts, counted in `undefined_direction`).
   */
  aligned: boolean | null;
}

export interface TurnRow {
  rollout_id: string;
  k: number;
  tier: TierName;
  reward: number;
  ai: number;
  adv: number;
}

export interface EstimatorSummary {
  estimator: EstimatorKind;
  tiers: Record<TierName, { mean_ai: number | null; mean_adv: number | null; intended_sign: 1 | -1 | null; aligned: boolean | null }>;
  mismatches: number;
  /** Tiers with an intended sign whose mean advantage is 0 (aligned: null): neither aligned nor a mismatch. */
  undefined_direction: number;
  corr_adv_outcome: number | null;
  dead_turn_pct: number | null;
  dead_turn_pct_cancel: number | null;
  sign_disagreement: { ai_vs_adv: number | null; adv_vs_ao: number | null };
  gradient_share: Record<TierName, number | null>;
  /** "tokens" when every live turn had reported completion tokens, "turns" when none, else "mixed". */
  gradient_weighting: "tokens" | "turns" | "mixed";
  stop_rule_met: boolean;
  /**
   * "met": no mismatch, every checked tier has a direction and Corr(r̄, o) > η. "continue": a
   * mismatch, or Corr(r̄, o) ≤ η / n/a. "undecided": no mismatch but some tier has no direction
   * (zero mean advantage, e.g. groups of one rollout): reweighting tiers cannot decide it;
   * more rollouts per task (groups with mixed outcomes) can.
   */
  stop_rule_status: StopRuleState;
}

export type StopRuleState = "met" | "continue" | "undecided";

export interface AnalysisResult extends Omit<EstimatorSummary, "tiers"> {
  tiers: Record<TierName, TierResult>;
  groups: { all_pass: number | null; all_fail: number | null; mixed: number | null; n: number };
  corr_mean_reward_outcome: number | null;
  suggestion: Record<TierName, number>;
  n_rollouts: number;
  n_turns: number;
  /** Rollouts the tier statistics used (the sliding window within the slice, or the slice). */
  n_rollouts_rho: number;
  window: number | null;
  turns?: TurnRow[];
}
