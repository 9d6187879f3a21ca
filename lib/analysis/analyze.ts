/**
 * `analyze`: the whole calibration readout of one reward config over columnar rollouts
 * (the `writ analyze` output), and `compareEstimators` (all four estimators side by side).
 * Classification is reused from the data; tiering is cached per precedence; rewards and
 * advantages are recomputed into preallocated buffers. What does not depend on the tier values
 * (tier statistics, GRPO's diagnostics, the group mix) is cached per data version (./invariants),
 * so a tier-value change recomputes only the reward-dependent parts. Output numbers are finite or null.
 */
import { ESTIMATORS, TIER_CODE, TIER_COUNT, TIER_NAMES, softFormulaValue, type RewardConfig, type TierName } from "../rewards";
import type { AnalysisResult, AnalyzeOptions, EstimatorSummary, TierResult, TurnRow } from "./analysis-result";
import type { ColumnarRollouts } from "./columnar";
import { computeTierDiscrimination, type TierDiscrimination } from "./discriminativeness";
import { computeTurnDiagnostics, type TurnDiagnostics } from "./diagnostics";
import { computeAdvantages, switchGtpoHybrid, type EstimatorKind, type EstimatorParams } from "./estimators";
import { corrMeanRewardOutcome, groupMix, summarize } from "./estimator-summary";
import { memoInvariant, sliceKeyOf } from "./invariants";
import { buildSliceMask, buildWindowMask, countSelected } from "./slice";
import { getWorkspace, type AnalysisWorkspace } from "./workspace";

// The result shapes and the stop rule are part of what `analyze` answers.
export type { AnalysisResult, AnalyzeOptions, EstimatorSummary, StopRuleState, TierResult, TurnRow } from "./analysis-result";
export { stopRuleState } from "./estimator-summary";

/** Canonical zero for outputs (no -0 in JSON diffs). */
const z0 = (v: number): number => (v === 0 ? 0 : v);

function estimatorParams(config: RewardConfig, estimator: EstimatorKind = config.estimator): EstimatorParams {
  return { estimator, gamma: config.gamma, lambda: config.lambda, eps: config.eps, ddof: config.ddof, gn_scope: config.gn_scope };
}

/** Module-local copy: a per-turn call through the import binding goes through getters once compiled to CommonJS. */
const softValue = softFormulaValue;

/** reward[t] from the tier and (for soft = "formula") the stored soft fraction; mean per rollout. */
function fillRewards(data: ColumnarRollouts, ws: AnalysisWorkspace, config: RewardConfig): void {
  const values = new Float64Array(TIER_COUNT);
  for (let c = 0; c < TIER_COUNT; c++) {
    const v = config.tiers[TIER_NAMES[c]];
    values[c] = typeof v === "number" ? v : 0;
  }
  const softFormula = config.tiers.soft === "formula";
  const SOFT = TIER_CODE.soft;
  const { tier, reward, meanReward } = ws;
  const { turnSoft, turnOffsets } = data;
  for (let i = 0; i < data.nRollouts; i++) {
    const s = turnOffsets[i];
    const e = turnOffsets[i + 1];
    let sum = 0;
    for (let t = s; t < e; t++) {
      const c = tier[t];
      const r = softFormula && c === SOFT ? softValue(turnSoft[t]) : values[c];
      reward[t] = r;
      sum += r;
    }
    meanReward[i] = e > s ? sum / (e - s) : 0;
  }
}

interface Prepared {
  ws: AnalysisWorkspace;
  slice: Uint8Array | null;
  /** Cache key of the slice (null: not cacheable, nothing slice-dependent is reused). */
  sliceKey: string | null;
  disc: { tiers: TierDiscrimination[]; n: number };
  corrMeanReward: number | null;
  /** The workspace's ai holds GN(G) of these rewards and knobs (GTPO or the hybrid ran last). */
  gnHeld: boolean;
}

/** A cache key from parts, or null when any part is (an uncacheable slice). */
const keyOf = (...parts: (string | number | null)[]): string | null => (parts.includes(null) ? null : parts.join("|"));

function prepare(data: ColumnarRollouts, config: RewardConfig, opts: AnalyzeOptions): Prepared {
  const ws = getWorkspace(data, config.precedence);
  const slice = buildSliceMask(data, opts.slice);
  const sliceKey = sliceKeyOf(opts.slice);
  fillRewards(data, ws, config);
  // Tier statistics read tiering, outcomes, window and slice only: the same for every tier value.
  const disc = memoInvariant(data, keyOf("disc", ws.precedenceKey, sliceKey, String(config.window)), () =>
    computeTierDiscrimination(data, ws, buildWindowMask(data, slice, config.window)),
  );
  return { ws, slice, sliceKey, disc, corrMeanReward: corrMeanRewardOutcome(data, ws, slice), gnHeld: false };
}

/**
 * One estimator's summary. `keep`: leave this estimator's advantages in the workspace (the
 * configured one, read afterwards by callers); otherwise GRPO may be answered from the cache.
 */
function runEstimator(data: ColumnarRollouts, config: RewardConfig, prep: Prepared, estimator: EstimatorKind, keep: boolean): EstimatorSummary {
  const { ws } = prep;
  const params = estimatorParams(config, estimator);
  let diag: TurnDiagnostics;
  if (estimator === "grpo") {
    // GRPO's advantage is AO on every turn: outcome-only, so its diagnostics hold for any tier values.
    const advantages = () => {
      computeAdvantages(data, params, ws);
      prep.gnHeld = false;
    };
    if (keep) advantages();
    diag = memoInvariant(data, keyOf("grpo-diag", ws.precedenceKey, prep.sliceKey, config.ddof, config.eps), () => {
      if (!keep) advantages();
      return computeTurnDiagnostics(data, ws, prep.slice);
    });
  } else {
    // GTPO and the hybrid differ only in λ: the second of them reuses the first's GN(G).
    const gnFamily = estimator !== "mt_grpo";
    if (gnFamily && prep.gnHeld) switchGtpoHybrid(data, params, ws);
    else computeAdvantages(data, params, ws);
    prep.gnHeld = gnFamily;
    diag = computeTurnDiagnostics(data, ws, prep.slice);
  }
  return summarize(estimator, diag, prep.disc.tiers, config, prep.corrMeanReward);
}

export function analyze(data: ColumnarRollouts, config: RewardConfig, opts: AnalyzeOptions = {}): AnalysisResult {
  const prep = prepare(data, config, opts);
  return buildResult(data, config, opts, prep, runEstimator(data, config, prep, config.estimator, true));
}

function buildResult(data: ColumnarRollouts, config: RewardConfig, opts: AnalyzeOptions, prep: Prepared, summary: EstimatorSummary): AnalysisResult {
  const tiers = {} as Record<TierName, TierResult>;
  const suggestion = {} as Record<TierName, number>;
  for (let c = 0; c < TIER_COUNT; c++) {
    const name = TIER_NAMES[c];
    tiers[name] = { ...prep.disc.tiers[c], ...summary.tiers[name] };
    const rho = prep.disc.tiers[c].rho;
    suggestion[name] = rho !== null && Math.abs(rho) > config.delta ? z0(config.alpha * rho) : 0;
  }
  const result: AnalysisResult = {
    ...summary,
    tiers,
    groups: memoInvariant(data, keyOf("groups", prep.sliceKey), () => groupMix(data, prep.slice)),
    corr_mean_reward_outcome: prep.corrMeanReward,
    suggestion,
    n_rollouts: countSelected(data.nRollouts, prep.slice),
    n_turns: countSelectedTurns(data, prep.slice),
    n_rollouts_rho: prep.disc.n,
    window: config.window,
  };
  if (opts.includeTurns) result.turns = turnRows(data, prep.ws, prep.slice);
  return result;
}

/**
 * `analyze` plus the four estimators side by side, sharing one tiering, reward fill and
 * tier-statistics pass. The configured estimator runs last, so the workspace afterwards holds
 * its advantages, exactly as after `analyze`. GTPO and the hybrid stay adjacent in every order
 * (configured last), so the second reuses the first's GN(G).
 */
export function analyzeWithEstimators(
  data: ColumnarRollouts,
  config: RewardConfig,
  opts: AnalyzeOptions = {},
): { result: AnalysisResult; estimators: Record<EstimatorKind, EstimatorSummary> } {
  const { result, estimators } = analyzeWithEstimatorsExcept(data, config, opts, []);
  return { result, estimators: estimators as Record<EstimatorKind, EstimatorSummary> };
}

/**
 * Which estimators another thread can summarise while this one runs the configured estimator
 * and the sections: the non-GRPO ones that are not configured (GRPO is cached and cheap). With
 * GRPO configured, MT-GRPO stays here so the two sides carry about the same work.
 */
export function delegableEstimators(config: RewardConfig): EstimatorKind[] {
  if (config.estimator === "grpo") return ["gtpo", "hybrid"];
  return (["mt_grpo", "gtpo", "hybrid"] as const).filter((k) => k !== config.estimator);
}

/**
 * `analyzeWithEstimators` without the summaries of `elsewhere` (computed by another thread with
 * `summarizeEstimators`). Every summary it returns is identical to the full call's: the same
 * functions run on the same rewards, and a GTPO/hybrid pair shares GN(G) only when both stay.
 */
export function analyzeWithEstimatorsExcept(
  data: ColumnarRollouts,
  config: RewardConfig,
  opts: AnalyzeOptions,
  elsewhere: readonly EstimatorKind[],
): { result: AnalysisResult; estimators: Partial<Record<EstimatorKind, EstimatorSummary>> } {
  if (elsewhere.includes(config.estimator)) throw new Error(`the configured estimator (${config.estimator}) cannot be computed elsewhere`);
  const prep = prepare(data, config, opts);
  const estimators: Partial<Record<EstimatorKind, EstimatorSummary>> = {};
  for (const kind of ESTIMATORS) {
    if (kind !== config.estimator && !elsewhere.includes(kind)) estimators[kind] = runEstimator(data, config, prep, kind, false);
  }
  const own = runEstimator(data, config, prep, config.estimator, true);
  estimators[config.estimator] = own;
  const ordered: Partial<Record<EstimatorKind, EstimatorSummary>> = {};
  for (const kind of ESTIMATORS) if (estimators[kind]) ordered[kind] = estimators[kind];
  return { result: buildResult(data, config, opts, prep, own), estimators: ordered };
}

/** The summaries of `kinds` alone (the other thread's half of `analyzeWithEstimatorsExcept`). */
export function summarizeEstimators(
  data: ColumnarRollouts,
  config: RewardConfig,
  opts: Omit<AnalyzeOptions, "includeTurns">,
  kinds: readonly EstimatorKind[],
): Partial<Record<EstimatorKind, EstimatorSummary>> {
  const prep = prepare(data, config, opts);
  const out: Partial<Record<EstimatorKind, EstimatorSummary>> = {};
  // In canonical order, so a GTPO/hybrid pair stays adjacent and shares GN(G).
  for (const kind of ESTIMATORS) if (kinds.includes(kind)) out[kind] = runEstimator(data, config, prep, kind, false);
  return out;
}

/** All four estimators over the same tiering, rewards and tier statistics. */
export function compareEstimators(
  data: ColumnarRollouts,
  config: RewardConfig,
  opts: Omit<AnalyzeOptions, "includeTurns"> = {},
): Record<EstimatorKind, EstimatorSummary> {
  const prep = prepare(data, config, opts);
  // The last one keeps its advantages in the workspace (as before the caches existed).
  return {
    grpo: runEstimator(data, config, prep, "grpo", false),
    mt_grpo: runEstimator(data, config, prep, "mt_grpo", false),
    gtpo: runEstimator(data, config, prep, "gtpo", false),
    hybrid: runEstimator(data, config, prep, "hybrid", true),
  };
}

function countSelectedTurns(data: ColumnarRollouts, mask: Uint8Array | null): number {
  if (!mask) return data.nTurns;
  let n = 0;
  for (let i = 0; i < data.nRollouts; i++) if (mask[i]) n += data.turnOffsets[i + 1] - data.turnOffsets[i];
  return n;
}

/** Per-turn values are finite by construction; the guard maps anything else to 0 (a dead value). */
const safe = (v: number): number => (Number.isFinite(v) ? z0(v) : 0);

function turnRows(data: ColumnarRollouts, ws: AnalysisWorkspace, mask: Uint8Array | null): TurnRow[] {
  const rows: TurnRow[] = [];
  for (let i = 0; i < data.nRollouts; i++) {
    if (mask && !mask[i]) continue;
    const id = data.rolloutIds[i];
    for (let t = data.turnOffsets[i], e = data.turnOffsets[i + 1]; t < e; t++) {
      rows.push({ rollout_id: id, k: data.turnPos[t], tier: TIER_NAMES[ws.tier[t]], reward: safe(ws.reward[t]), ai: safe(ws.ai[t]), adv: safe(ws.adv[t]) });
    }
  }
  return rows;
}

/**
 * Per-turn tier codes, rewards and advantages under `config` (for exports that write an
 * advantage per turn). The arrays are views into the data's workspace: copy them before the
 * next analyze/computeTurnValues call on the same data if they must be kept.
 */
export function computeTurnValues(
  data: ColumnarRollouts,
  config: RewardConfig,
): { tier: Uint8Array; reward: Float64Array; ai: Float64Array; adv: Float64Array; ao: Float64Array } {
  const ws = getWorkspace(data, config.precedence);
  fillRewards(data, ws, config);
  computeAdvantages(data, estimatorParams(config), ws);
  return {
    tier: ws.tier.subarray(0, data.nTurns),
    reward: ws.reward.subarray(0, data.nTurns),
    ai: ws.ai.subarray(0, data.nTurns),
    adv: ws.adv.subarray(0, data.nTurns),
    ao: ws.ao.subarray(0, data.nRollouts),
  };
}
