/**
 * The exact JSON shapes of the calibration routes (analysis, drill-down, reward-config
 * iterations, short links, home overview), for the UI: import type only, no runtime code.
 * Request bodies are inferred from the routes' zod schemas (./schemas); responses are written here.
 * Field names are snake_case like `writ analyze`. Errors from every route are
 * `{"error": {"code", "message", "field"?}}` with a 4xx/5xx status (ApiErrorBody): a bad reward
 * config is a 400 whose `field` is the dotted config path prefixed with "config."
 * ("config.tiers.bogus", "config.ddof", "config.gamma", "config" for malformed JSON text).
 *
 * Numbers are finite or null (null = undefined statistic, show "n/a"); never NaN.
 */
import type { RewardConfig, RewardConfigInput, TierName, FlipCount } from "../rewards";
import type { AnalysisResult, EstimatorSummary, StopRuleState, TurnRow } from "../analysis";
import type { ApiErrorBody, ExperimentStatus } from "../experiments/api-types";
import type { z } from "zod";
import type { analysisBodySchema, analysisSections, createIterationSchema, createViewSchema, evaluateSchema, sliceSchema } from "./schemas";

export type { ApiErrorBody, RewardConfig, RewardConfigInput, TierName, FlipCount, AnalysisResult, EstimatorSummary, StopRuleState, TurnRow };

export type EstimatorKind = "grpo" | "mt_grpo" | "gtpo" | "hybrid";

/**
 * Rollout filter (AND of the given filters; a filter is a value or a list): w = task write counts
 * W, b = evidence burden B of the task's grid cell, behavior, steps = training steps [from, to],
 * inclusive (training runs; URL state `steps=a-b`). Inferred from the route's schema.
 */
export type SliceInput = z.input<typeof sliceSchema>;

export type AnalysisSection = (typeof analysisSections)[number];

// ---- POST /api/experiments/[id]/analysis --------------------------------------------------

/**
 * The route's schema (slice; include = extra sections, default none: the analysis, suggestion
 * rules and stop rule always come back; turns_limit = max rows with include "turns", default
 * 5000, max 100000), with `config` typed: reward config JSON (docs/cli-and-formats.md), missing
 * keys take the defaults; the object, or its raw JSON text (malformed text → 400 field "config").
 * Omitted = the experiment's latest iteration.
 */
export type AnalysisRequest = Omit<z.input<typeof analysisBodySchema>, "config"> & { config?: RewardConfigInput | string };

/** One value of the IRC suggestion with the rule that produced it. */
export interface SuggestionRule {
  tier: TierName;
  rho: number | null;
  /** The suggested value (α·rho, or 0). */
  value: number;
  /** The current value of the tier in the config ("formula" for soft = formula). */
  current: number | "formula";
  /** "rho = 0.41 > δ = 0.05 → α·rho = 0.41" | "|rho| = 0.02 ≤ δ = 0.05 → 0" | "rho n/a (tier never/always present or outcome constant) → 0" */
  rule: string;
  /** value differs from current (numeric current only). */
  changed: boolean;
}

export interface StopRuleStatus {
  met: boolean;
  /** "undecided": no mismatch, but some tier has no direction (mean A = 0), which reweighting cannot change. */
  status: StopRuleState;
  mismatches: number;
  /** Tiers with an intended sign whose mean advantage is 0 (neither aligned nor a mismatch). */
  undefined_direction: number;
  corr_mean_reward_outcome: number | null;
  eta: number;
  /** e.g. "mismatches = 1 (≠ 0); Corr(r̄, o) = 0.52 > η = 0.3 → continue" */
  text: string;
}

/** Per W × B cell summary (small multiples). Advantages are computed over whole groups, statistics over the cell. */
export interface CellSummary {
  /** -1 = unknown (task without WRIT metadata). */
  w: number;
  b: number;
  n_rollouts: number;
  n_groups: number;
  n_turns: number;
  pass_rate: number | null;
  mismatches: number;
  /** Tiers with an intended sign whose mean advantage in the cell is 0 (no direction; not mismatches). */
  undefined_direction: number;
  corr_adv_outcome: number | null;
  /** % of the cell's turns with |A| < 1e-9. */
  dead_turn_pct: number | null;
  rho: Record<TierName, number | null>;
  mean_adv: Record<TierName, number | null>;
  /** Tiers whose sign(mean A) ≠ intended sign in this cell. */
  misaligned: TierName[];
}

/** Turn position × tier → mean final advantage (positions ≥ max_position are pooled into the last row). */
export interface AdvantageHeatmap {
  /** Row labels: 0..max_position; the last row pools positions ≥ its value when `last_row_pooled`. */
  positions: number[];
  last_row_pooled: boolean;
  tiers: TierName[];
  /** [position row][tier index]: mean A, null when no turns. */
  mean_adv: (number | null)[][];
  /** [position row][tier index]: number of turns. */
  n: number[][];
  /** [position row][tier index]: turns whose non-zero sign(A) is opposite to the tier's intended sign (0 when the tier is skipped; dead turns never count). */
  misaligned: number[][];
  /** The tiers' intended signs (sign(rho), null when |rho| ≤ δ). */
  intended_sign: Record<TierName, 1 | -1 | null>;
}

export interface DistributionBin {
  /** Inclusive lower, exclusive upper bound (the last bin includes its upper bound). */
  lo: number;
  hi: number;
  pass: number;
  fail: number;
}

/** Distribution of per-turn final advantages A for turns of passing vs failing rollouts. */
export interface AdvantageDistribution {
  bins: DistributionBin[];
  pass: { n: number; mean: number | null; dead: number };
  fail: { n: number; mean: number | null; dead: number };
  /** Values beyond ±clip are counted in the outer bins. */
  clip: number;
}

export interface AnalysisResponse {
  experiment_id: number;
  /** The full config used (defaults filled in). */
  config: RewardConfig;
  /** sha256 (hex, 16 chars) of the canonical config JSON: pass as ?config= to the drill-down. */
  config_hash: string;
  slice: SliceInput | null;
  /** Finished rollouts loaded for the experiment (bumps as rollouts arrive). */
  data_version: number;
  /** Result served from the cache (identical numbers). */
  cached: boolean;
  computed_ms: number;
  /** Everything `analyze` returns (writ analyze keys); `turns` only with include "turns" (capped at turns_limit). */
  analysis: AnalysisResult;
  turns_total?: number;
  turns_truncated?: boolean;
  suggestion_rules: Record<TierName, SuggestionRule>;
  stop_rule: StopRuleStatus;
  pass_rate: number | null;
  estimators?: Record<EstimatorKind, EstimatorSummary>;
  cells?: CellSummary[];
  heatmap?: AdvantageHeatmap;
  distribution?: AdvantageDistribution;
  /**
   * Per deep-equal toggle: how many classifications flip when the toggle is inverted from the
   * config's value (computed over at most `flips_sample` rollouts, the most recent ones).
   */
  flips?: FlipCount[];
  flips_sample?: number;
}

// ---- GET /api/experiments/[id]/analysis/turns ---------------------------------------------

/**
 * Query: tier (required unless position is given), position? (integer; with a heatmap's pooled last
 * row pass position=N&position_pooled=1), cell? "W:B" (e.g. "2:3"), config? = a config hash returned
 * by the analysis route or a reward_configs version, or inline config JSON (URL-encoded); omitted = latest
 * iteration. Also w?, b?, behavior? (slice; each a comma-separated list), misaligned_only? = 1, limit? 1..500 (default 50), offset? ≥ 0.
 * Order: misaligned first (non-zero sign(A) opposite to the tier's intended sign), then by |A| descending.
 */
export interface DrillTurn {
  rollout_id: string;
  group_id: string;
  task_id: string;
  sample_index: number;
  /** Agent turn index. */
  k: number;
  tier: TierName;
  reward: number;
  ai: number;
  adv: number;
  outcome: 0 | 1;
  misaligned: boolean;
  /** Rollout browser at that turn: /experiments/{id}/groups/{group_id}?turn={k + 1}&sibling={sample_index} (row 0 is the opening user message). */
  href: string;
}

export interface DrillTurnsResponse {
  experiment_id: number;
  config_hash: string;
  tier: TierName | null;
  position: number | null;
  cell: { w: number; b: number } | null;
  intended_sign: 1 | -1 | null;
  total: number;
  misaligned_total: number;
  offset: number;
  limit: number;
  next_offset: number | null;
  turns: DrillTurn[];
}

// ---- reward-config iterations --------------------------------------------------------------

/** Metrics snapshot of a reward-config version on one experiment (computed server-side). */
export interface IterationMetrics {
  experiment_id: number;
  n_rollouts: number;
  n_turns: number;
  pass_rate: number | null;
  estimator: EstimatorKind;
  mismatches: number;
  /** Tiers without direction (mean A = 0); absent in snapshots saved before it existed. */
  undefined_direction?: number;
  corr_mean_reward_outcome: number | null;
  corr_adv_outcome: number | null;
  /** Dead turns both ways: |A| < 1e-9, and position-level cancellation. */
  dead_turn_pct: number | null;
  dead_turn_pct_cancel: number | null;
  rho: Record<TierName, number | null>;
  mean_adv: Record<TierName, number | null>;
  misaligned: TierName[];
  suggestion: Record<TierName, number>;
  stop_rule_met: boolean;
  /** Absent in snapshots saved before it existed. */
  stop_rule_status?: StopRuleState;
  computed_at: number;
}

export interface RewardConfigIteration {
  id: number;
  experiment_id: number | null;
  parent_id: number | null;
  /** 1-based position in the experiment's timeline. */
  number: number;
  config: RewardConfig;
  hash: string;
  note: string | null;
  metrics: IterationMetrics | null;
  created_at: number;
}

/** GET /api/reward-configs?experiment_id=N → the timeline, oldest first (iteration 1 = NAIVE_V5, seeded on first use). */
export interface ListIterationsResponse {
  experiment_id: number;
  iterations: RewardConfigIteration[];
}

/** POST /api/reward-configs body → 201 IterationResponse. Versions are immutable: there is no PUT/PATCH/DELETE. */
export type CreateIterationRequest = Omit<z.input<typeof createIterationSchema>, "config"> & {
  /** parent_id defaults to the experiment's latest iteration. */
  config: RewardConfigInput | string;
};

/** GET /api/reward-configs/[id] → ; POST → (201). */
export interface IterationResponse {
  iteration: RewardConfigIteration;
}

export interface ConfigChange {
  /** Dotted key: "tiers.read", "estimator", "deep_equal.drop_empty", "read_tools". */
  key: string;
  a: unknown;
  b: unknown;
}

export interface MetricDelta {
  /** "mismatches", "corr_mean_reward_outcome", "dead_turn_pct", "rho.read", … */
  metric: string;
  a: number | null;
  b: number | null;
  /** b − a, null when either side is null. */
  delta: number | null;
}

/** GET /api/reward-configs/diff?a=ID&b=ID → */
export interface IterationDiffResponse {
  a: RewardConfigIteration;
  b: RewardConfigIteration;
  changes: ConfigChange[];
  metric_deltas: MetricDelta[];
  /** Whether the two metrics snapshots are on the same experiment (deltas are comparable). */
  same_experiment: boolean;
}

/** POST /api/reward-configs/[id]/evaluate body → EvaluateIterationResponse (not stored). */
export type EvaluateIterationRequest = z.input<typeof evaluateSchema>;
export interface EvaluateIterationResponse {
  iteration_id: number;
  experiment_id: number;
  metrics: IterationMetrics;
  /** The iteration's own snapshot, for comparison (null when it has none). */
  baseline: IterationMetrics | null;
}

// ---- short links ---------------------------------------------------------------------------

/** POST /api/views body → 201 CreateViewResponse. path must start with "/" (same-origin path, no query). */
/** state: key → string | number | boolean | array of those (arrays repeat the key). */
export type CreateViewRequest = z.input<typeof createViewSchema>;
export interface CreateViewResponse {
  id: string;
  url: string;
}
/** GET /api/views/[id] → */
export interface ViewResponse {
  id: string;
  path: string;
  state: Record<string, unknown>;
  /** path + query built from state: where /v/<id> redirects. */
  target: string;
  created_at: number;
}

// ---- GET /api/overview (home page) ---------------------------------------------------------

export interface OverviewExperiment {
  id: number;
  name: string;
  status: ExperimentStatus;
  rollouts_done: number;
  rollouts_total: number;
  pass_rate: number | null;
  /** The latest iteration of the experiment (null when none saved yet). */
  latest_iteration: { id: number; number: number; note: string | null; estimator: EstimatorKind } | null;
  /** Mismatches under the latest iteration's stored metrics snapshot (null when none). */
  mismatches: number | null;
  stop_rule_met: boolean | null;
  created_at: number;
}

export interface OverviewIteration {
  id: number;
  experiment_id: number | null;
  experiment_name: string | null;
  number: number;
  note: string | null;
  mismatches: number | null;
  corr_mean_reward_outcome: number | null;
  created_at: number;
}

export interface OverviewJob {
  id: number;
  name: string;
  status: "queued" | "running";
  progress_message: string | null;
  experiment_id: number | null;
  created_at: number;
}

export interface OverviewResponse {
  experiments: OverviewExperiment[];
  recent_iterations: OverviewIteration[];
  running_jobs: OverviewJob[];
  generated_at: number;
}
