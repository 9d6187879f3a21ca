/**
 * The analysis route's service: `analyze` plus the workbench sections (estimators side by
 * side; W × B cells, position × tier heatmap and advantage distribution in ./sections;
 * deep-equal flips), the IRC suggestion with the rule behind each value and the stop-rule
 * status; and the drill-down list of turns. Results are cached per (config hash, data version,
 * slice, sections); parts that tier values cannot move are cached below that (lib/analysis
 * memoInvariant), so a slider move recomputes only the reward-dependent numbers.
 */
import type { Db } from "../../db/client";
import { attachStepColumn } from "./training-columns";
import {
  analyze,
  buildSliceMask,
  analyzeWithEstimatorsExcept,
  computeTurnValues,
  delegableEstimators,
  summarizeEstimators,
  DEAD_EPS as ANALYSIS_DEAD_EPS,
  getWorkspace,
  memoInvariant,
  sliceKeyOf,
  sliceView,
  type AnalysisResult,
  type ColumnarRollouts,
  type EstimatorKind,
  type EstimatorSummary,
  type SliceSpec,
  type SliceTarget,
} from "../analysis";
import { NotFoundError } from "../errors/app-error";
import { countAllToggleFlips, ESTIMATORS, TIER_NAMES, type RewardConfig, type TierName } from "../rewards";
import type {
  AnalysisResponse,
  AnalysisSection,
  DrillTurn,
  DrillTurnsResponse,
  SliceInput,
  StopRuleStatus,
  SuggestionRule,
} from "./api-types";
import { rememberConfig } from "./config-input";
import { getEstimatorThread, type EstimatorThread } from "./estimator-thread";
import { computeSections, intendedSigns } from "./sections";
import { cacheGet, cacheSet, classifyOptionsOf, getExperimentData, loadRecentRollouts, type ExperimentData } from "./experiment-data";
import { experimentExists } from "./store/experiments";

export { DISTRIBUTION_BINS, HEATMAP_MAX_POSITION } from "./sections";
export const FLIPS_SAMPLE = 2000;
/**
 * Runs queued on the analysis thread beyond which a request is computed on the request thread
 * alone: enough to keep the thread busy while this one computes a whole request (about twice a
 * thread run), few enough that no run waits long.
 */
export const MAX_THREAD_BACKLOG = 3;
export const DEFAULT_TURNS_LIMIT = 5000;

const fmt = (v: number): string => {
  const r = Math.round(v * 100) / 100;
  return (r === 0 ? 0 : r).toFixed(2);
};

export function requireExperiment(db: Db, id: number): void {
  if (!experimentExists(db, id)) throw new NotFoundError(`experiment ${id} not found`);
}

function toSliceSpec(slice: SliceInput | null | undefined): SliceSpec | null {
  if (!slice) return null;
  const spec: SliceSpec = {};
  if (slice.w !== undefined) spec.w = slice.w;
  if (slice.b !== undefined) spec.b = slice.b;
  if (slice.behavior !== undefined) spec.behavior = slice.behavior;
  if (slice.steps !== undefined) spec.steps = slice.steps;
  return spec.w === undefined && spec.b === undefined && spec.behavior === undefined && spec.steps === undefined ? null : spec;
}

export function suggestionRules(result: AnalysisResult, config: RewardConfig): Record<TierName, SuggestionRule> {
  const out = {} as Record<TierName, SuggestionRule>;
  for (const tier of TIER_NAMES) {
    const rho = result.tiers[tier].rho;
    const value = result.suggestion[tier];
    const current = config.tiers[tier];
    let rule: string;
    if (rho === null) rule = `rho n/a (tier presence or outcome constant) → 0`;
    else if (Math.abs(rho) > config.delta) {
      const cmp = rho > 0 ? `rho = ${fmt(rho)} > δ = ${fmt(config.delta)}` : `|rho| = ${fmt(Math.abs(rho))} > δ = ${fmt(config.delta)}`;
      rule = `${cmp} → α·rho = ${fmt(config.alpha)}·${fmt(rho)} = ${fmt(value)}`;
      if (config.alpha === 1) rule = `${cmp} → α·rho = ${fmt(value)}`;
    } else rule = `|rho| = ${fmt(Math.abs(rho))} ≤ δ = ${fmt(config.delta)} → 0`;
    out[tier] = { tier, rho, value, current, rule, changed: typeof current === "number" ? Math.abs(current - value) > 1e-12 : false };
  }
  return out;
}

export function stopRuleStatus(result: AnalysisResult, config: RewardConfig): StopRuleStatus {
  const corr = result.corr_mean_reward_outcome;
  const undefinedDirection = result.undefined_direction;
  const mm = result.mismatches === 0 ? "mismatches = 0" : `mismatches = ${result.mismatches} (≠ 0)`;
  const nd = undefinedDirection > 0 ? `; no direction on ${undefinedDirection} tier${undefinedDirection === 1 ? "" : "s"} (mean A = 0)` : "";
  const cr = corr === null ? "Corr(r̄, o) n/a" : `Corr(r̄, o) = ${fmt(corr)} ${corr > config.eta ? ">" : "≤"} η = ${fmt(config.eta)}`;
  const verdict =
    result.stop_rule_status === "met"
      ? "stop"
      : result.stop_rule_status === "undecided"
        ? "undecided: reweighting cannot give a zero advantage a direction; run more rollouts per task (groups with mixed outcomes)"
        : "continue";
  return {
    met: result.stop_rule_met,
    status: result.stop_rule_status,
    mismatches: result.mismatches,
    undefined_direction: undefinedDirection,
    corr_mean_reward_outcome: corr,
    eta: config.eta,
    text: `${mm}${nd}; ${cr} → ${verdict}`,
  };
}

/** Module-local copy: per-turn loops would otherwise read the import binding (a getter once compiled). */
const DEAD_EPS = ANALYSIS_DEAD_EPS;
const signOf = (v: number): number => (v > DEAD_EPS ? 1 : v < -DEAD_EPS ? -1 : 0);

export interface AnalysisInput {
  config: RewardConfig;
  slice?: SliceInput | null;
  include?: readonly AnalysisSection[];
  turnsLimit?: number;
}

const SECTION_ORDER: AnalysisSection[] = ["turns", "estimators", "cells", "flips", "heatmap", "distribution"];

/** A request that missed the result cache: everything the computation needs. */
interface AnalysisJob {
  experimentId: number;
  started: number;
  config: RewardConfig;
  hash: string;
  include: Set<AnalysisSection>;
  turnsLimit: number;
  spec: SliceSpec | null;
  slice: SliceInput | null | undefined;
  exp: ExperimentData;
  /**
   * What the computation reads: the view of the slice's groups when the slice keeps whole groups
   * (a recompute then costs in proportion to the slice), else the experiment's data and the slice.
   */
  target: SliceTarget;
  key: string;
}

function beginAnalysis(db: Db, experimentId: number, input: AnalysisInput): { hit: AnalysisResponse } | { job: AnalysisJob } {
  requireExperiment(db, experimentId);
  const started = performance.now();
  const { config } = input;
  const hash = rememberConfig(config);
  const include = new Set(input.include ?? []);
  const turnsLimit = Math.max(0, Math.min(100_000, input.turnsLimit ?? DEFAULT_TURNS_LIMIT));
  const spec = toSliceSpec(input.slice);
  const sliceKey = JSON.stringify(spec);
  const exp = getExperimentData(db, experimentId, classifyOptionsOf(config));
  if (spec?.steps) attachStepColumn(db, experimentId, exp.data); // the step slice reads it
  const key = `analysis|${hash}|${exp.version}|${sliceKey}|${SECTION_ORDER.filter((s) => include.has(s)).join(",")}|${include.has("turns") ? turnsLimit : 0}`;
  const hit = cacheGet<AnalysisResponse>(exp.results, key);
  if (hit) return { hit: { ...hit, cached: true } };
  return { job: { experimentId, started, config, hash, include, turnsLimit, spec, slice: input.slice, exp, target: sliceView(exp.data, spec), key } };
}

export function runAnalysis(db: Db, experimentId: number, input: AnalysisInput): AnalysisResponse {
  const begun = beginAnalysis(db, experimentId, input);
  return "hit" in begun ? begun.hit : runComputed(db, begun.job);
}

/**
 * `runAnalysis` for the workbench route: with the estimators section and a second core, the
 * estimators other than the configured one are summarised on the analysis thread
 * (./estimator-thread) while this thread computes the rest. Same response, byte for byte; when
 * the thread does not hold the data yet, or fails, this thread computes everything itself. A
 * request identical to one being computed (same result-cache key) waits for that one's answer.
 */
export async function runAnalysisParallel(
  db: Db,
  experimentId: number,
  input: AnalysisInput,
  thread: EstimatorThread | null = getEstimatorThread(),
): Promise<AnalysisResponse> {
  const begun = beginAnalysis(db, experimentId, input);
  if ("hit" in begun) return begun.hit;
  const { job } = begun;
  let computing = inFlight.get(job.exp.results);
  if (!computing) {
    computing = new Map();
    inFlight.set(job.exp.results, computing);
  }
  const same = computing.get(job.key);
  if (same) return { ...(await same), cached: true };
  const answer = computeParallel(db, experimentId, input, job, thread);
  const registry = computing;
  registry.set(job.key, answer);
  const forget = () => {
    if (registry.get(job.key) === answer) registry.delete(job.key);
  };
  answer.then(forget, forget);
  return answer;
}

// A WeakMap, not createCache: keyed by an experiment's result cache (dropped with it); holds
// only the computations under way, each removed when it settles.
const inFlight = new WeakMap<Map<string, unknown>, Map<string, Promise<AnalysisResponse>>>();

async function computeParallel(db: Db, experimentId: number, input: AnalysisInput, job: AnalysisJob, thread: EstimatorThread | null): Promise<AnalysisResponse> {
  // A slice view is data of its own: the thread can hold it (with no slice left to apply).
  const { data, slice } = job.target;
  // The analysis thread's copy of the data has no step column: a masked step slice stays on this thread.
  if (!thread || !job.include.has("estimators") || slice?.steps) return runComputed(db, job);
  const kinds = delegableEstimators(job.config);
  if (!thread.holds(data)) {
    const response = runComputed(db, job);
    thread.offer(data, { config: job.config, slice, kinds });
    return response;
  }
  // The thread takes the runs one at a time. Under many requests at once a long queue there
  // would only add waiting: with MAX_THREAD_BACKLOG runs queued, this thread computes the whole
  // request itself, which keeps both cores busy.
  if (thread.backlog >= MAX_THREAD_BACKLOG) return runComputed(db, job);
  // Post first, so the thread works while this one does; a failure resolves to null.
  const version = data.version;
  const remote = thread.summarize(data, job.config, slice, kinds).catch(() => null);
  const { response, estimators: here } = computeAnalysis(db, job, kinds);
  const far = (await remote) ?? {};
  const missing = kinds.filter((k) => !far[k]);
  // Computing the missing ones here needs the data as it was: rows may have arrived meanwhile.
  if (missing.length && data.version !== version) return runAnalysis(db, experimentId, input);
  const rest = missing.length ? summarizeEstimators(data, job.config, { slice }, missing) : {};
  const merged = { ...here, ...far, ...rest };
  response.estimators = Object.fromEntries(ESTIMATORS.map((k) => [k, merged[k]])) as Record<EstimatorKind, EstimatorSummary>;
  return finishAnalysis(job, response);
}

/** Everything on this thread. */
function runComputed(db: Db, job: AnalysisJob): AnalysisResponse {
  const { response, estimators } = computeAnalysis(db, job, []);
  if (estimators) response.estimators = estimators as Record<EstimatorKind, EstimatorSummary>;
  return finishAnalysis(job, response);
}

function finishAnalysis(job: AnalysisJob, response: AnalysisResponse): AnalysisResponse {
  response.computed_ms = Math.round((performance.now() - job.started) * 10) / 10;
  cacheSet(job.exp.results, job.key, response);
  return response;
}

/**
 * Everything but the summaries of `elsewhere` (returned apart, in `estimators`, when the section
 * is included). Not cached yet: `finishAnalysis` does that once the estimators are complete.
 */
function computeAnalysis(
  db: Db,
  job: AnalysisJob,
  elsewhere: readonly EstimatorKind[],
): { response: AnalysisResponse; estimators: Partial<Record<EstimatorKind, EstimatorSummary>> | null } {
  const { config, include, spec, exp, experimentId } = job;
  const { data, slice } = job.target;
  // With the estimators section, one pass shares the tiering and statistics across all four.
  const both = include.has("estimators") ? analyzeWithEstimatorsExcept(data, config, { slice, includeTurns: include.has("turns") }, elsewhere) : null;
  const result = both ? both.result : analyze(data, config, { slice, includeTurns: include.has("turns") });
  // The pass rate is the experiment's, whatever the slice.
  const passes = passCount(exp.data);
  const response: AnalysisResponse = {
    experiment_id: experimentId,
    config,
    config_hash: job.hash,
    slice: spec ? (job.slice ?? null) : null,
    data_version: exp.version,
    cached: false,
    computed_ms: 0,
    analysis: result,
    suggestion_rules: suggestionRules(result, config),
    stop_rule: stopRuleStatus(result, config),
    pass_rate: exp.data.nRollouts > 0 ? passes / exp.data.nRollouts : null,
  };
  if (result.turns) {
    response.turns_total = result.turns.length;
    response.turns_truncated = result.turns.length > job.turnsLimit;
    if (response.turns_truncated) result.turns = result.turns.slice(0, job.turnsLimit);
  }
  if (include.has("cells") || include.has("heatmap") || include.has("distribution")) {
    // analyze() just left config.estimator's tiers and advantages in the data's workspace:
    // read them in place instead of recomputing them with computeTurnValues.
    const want = { cells: include.has("cells"), heatmap: include.has("heatmap"), distribution: include.has("distribution") };
    const sections = () => computeSections(data, getWorkspace(data, config.precedence), slice, config, result, want);
    // GRPO's advantage is the outcome's alone: with GRPO configured no tier value moves the sections.
    Object.assign(response, config.estimator === "grpo" ? memoInvariant(data, grpoSectionsKey(config, slice, want), sections) : sections());
  }
  if (include.has("flips")) {
    const flips = flipCounts(db, experimentId, config, exp);
    response.flips = flips.flips;
    response.flips_sample = flips.sample;
  }
  return { response, estimators: both ? both.estimators : null };
}

/**
 * Cache key of the sections under GRPO: every input they read besides the data version, i.e. the
 * tiering (precedence), the slice, GRPO's ddof and eps (its advantages), the window and delta
 * (the intended signs and the cells' directions) and the sections asked for. null: not cacheable.
 */
function grpoSectionsKey(config: RewardConfig, slice: SliceSpec | null, want: Record<string, boolean>): string | null {
  const sliceKey = sliceKeyOf(slice);
  if (sliceKey === null) return null;
  return `sections-grpo|${config.precedence.join(",")}|${sliceKey}|${config.ddof}|${config.eps}|${config.window}|${config.delta}|${JSON.stringify(want)}`;
}

function passCount(data: ColumnarRollouts): number {
  let n = 0;
  for (let i = 0; i < data.nRollouts; i++) n += data.outcome[i];
  return n;
}

function flipCounts(db: Db, experimentId: number, config: RewardConfig, exp: ExperimentData) {
  const key = `flips|${JSON.stringify([config.deep_equal, config.gold_matching, config.read_tools, config.write_tools, config.generic_tools, config.precedence])}|${exp.version}`;
  const hit = cacheGet<{ flips: ReturnType<typeof countAllToggleFlips>; sample: number }>(exp.results, key);
  if (hit) return hit;
  const { rollouts, gold } = loadRecentRollouts(db, experimentId, FLIPS_SAMPLE);
  const flips = countAllToggleFlips(rollouts, config, (r) => gold.get(r.task_id) ?? []);
  const value = { flips, sample: rollouts.length };
  cacheSet(exp.results, key, value);
  return value;
}

// ---- drill-down ------------------------------------------------------------------------

export interface DrillInput {
  config: RewardConfig;
  tier?: TierName | null;
  position?: number | null;
  /** The position is a heatmap's pooled last row: every turn at ≥ position. */
  positionPooled?: boolean;
  cell?: { w: number; b: number } | null;
  slice?: SliceInput | null;
  misalignedOnly?: boolean;
  limit: number;
  offset: number;
}

/** `k` is the 0-based agent-turn index; the browser's row 0 is the opening user message, so agent turn k is row k + 1. */
export function rolloutBrowserHref(experimentId: number, groupId: string, k: number, sample: number): string {
  return `/experiments/${experimentId}/groups/${encodeURIComponent(groupId)}?turn=${k + 1}&sibling=${sample}`;
}

export function drillTurns(db: Db, experimentId: number, input: DrillInput): DrillTurnsResponse {
  // The tier statistics (intended signs) of the same config and slice, cached.
  const base = runAnalysis(db, experimentId, { config: input.config, slice: input.slice });
  const exp = getExperimentData(db, experimentId, classifyOptionsOf(input.config));
  const { data } = exp;
  const spec = toSliceSpec(input.slice);
  if (spec?.steps) attachStepColumn(db, experimentId, data);
  const mask = buildSliceMask(data, spec);
  const v = computeTurnValues(data, input.config);
  const intended = intendedSigns(base.analysis);
  const tierCode = input.tier ? TIER_NAMES.indexOf(input.tier) : -1;
  const picked: number[] = [];
  for (let i = 0; i < data.nRollouts; i++) {
    if (mask && !mask[i]) continue;
    if (input.cell && (data.rolloutW[i] !== input.cell.w || data.rolloutB[i] !== input.cell.b)) continue;
    for (let t = data.turnOffsets[i], e = data.turnOffsets[i + 1]; t < e; t++) {
      if (tierCode >= 0 && v.tier[t] !== tierCode) continue;
      if (input.position != null) {
        const p = data.turnPos[t];
        if (input.positionPooled ? p < input.position : p !== input.position) continue;
      }
      picked.push(t);
    }
  }
  // A dead turn (A = 0) has no direction: it is not misaligned (it shows in the dead-turn share).
  const isMis = (t: number): boolean => {
    const want = intended[TIER_NAMES[v.tier[t]]];
    const sign = signOf(v.adv[t]);
    return want !== null && sign !== 0 && sign !== want;
  };
  let misTotal = 0;
  const mis = new Uint8Array(picked.length);
  picked.forEach((t, j) => {
    if (isMis(t)) {
      mis[j] = 1;
      misTotal++;
    }
  });
  const order = Array.from(picked.keys()).filter((j) => !input.misalignedOnly || mis[j]);
  order.sort((x, y) => mis[y] - mis[x] || Math.abs(v.adv[picked[y]]) - Math.abs(v.adv[picked[x]]) || picked[x] - picked[y]);
  const total = order.length;
  const page = order.slice(input.offset, input.offset + input.limit);
  const turns: DrillTurn[] = page.map((j) => {
    const t = picked[j];
    const i = data.turnRollout[t];
    const id = data.rolloutIds[i];
    const info = exp.info.get(id);
    const groupId = info?.groupId ?? data.groupIds[data.rolloutGroup[i]];
    const sample = info?.sampleIndex ?? 0;
    return {
      rollout_id: id,
      group_id: groupId,
      task_id: info?.taskId ?? data.taskIds[i],
      sample_index: sample,
      k: data.turnPos[t],
      tier: TIER_NAMES[v.tier[t]],
      reward: finite(v.reward[t]),
      ai: finite(v.ai[t]),
      adv: finite(v.adv[t]),
      outcome: data.outcome[i] === 1 ? 1 : 0,
      misaligned: mis[j] === 1,
      href: rolloutBrowserHref(experimentId, groupId, data.turnPos[t], sample),
    };
  });
  const next = input.offset + input.limit;
  return {
    experiment_id: experimentId,
    config_hash: base.config_hash,
    tier: input.tier ?? null,
    position: input.position ?? null,
    cell: input.cell ?? null,
    intended_sign: input.tier ? intended[input.tier] : null,
    total,
    misaligned_total: input.misalignedOnly ? total : misTotal,
    offset: input.offset,
    limit: input.limit,
    next_offset: next < total ? next : null,
    turns,
  };
}

const finite = (x: number): number => (Number.isFinite(x) && x !== 0 ? x : 0);
