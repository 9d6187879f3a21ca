/**
 * A training run over its steps: per step (or per bucket of consecutive steps), the numbers the
 * run timeline draws. Pure: typed arrays in, plain arrays out.
 *
 * One pass of the estimator over the whole run (advantages are per group, and a group belongs to
 * one step, so computing them once for all groups equals computing them step by step), then one
 * pass over rollouts and turns accumulating per bucket:
 * - pass rate (outcome of WRIT Lab's evaluator);
 * - per tier: rho of tier presence vs outcome (phi from 2×2 counts, Fisher CI: the same statistic
 *   as the workbench, discriminativeness.ts) and the mean advantage under the chosen estimator;
 * - advantage-direction mismatches (tiers whose intended sign, sign(rho) beyond `delta`, disagrees
 *   with the sign of their mean advantage; the workbench's rule, direction.ts);
 * - share of zero-variance groups: every outcome equal (WRIT Lab's evaluator), and, for groups whose
 *   rollouts all carry the trainer's reward, every trainer reward equal (TRL's frac_reward_zero_std,
 *   the number the trainer itself logs);
 * - dead-turn share (|A| ≤ 1e-9);
 * - per tier, the sign agreement between the trainer's own per-turn advantage (its turn advantages,
 *   else its trajectory advantage on every turn) and WRIT Lab's: agreeing / compared turns, over
 *   turns where both are non-zero.
 */
import { TIER_COUNT, TIER_NAMES, type RewardConfig, type TierName } from "../rewards";
import { computeTurnValues } from "./analyze";
import type { ColumnarRollouts } from "./columnar";
import { DEAD_EPS } from "./diagnostics";
import { phiFromCounts } from "./discriminativeness";
import { tierDirection } from "./direction";
import type { EstimatorKind } from "./estimators";

export interface TimelineInput {
  data: ColumnarRollouts;
  config: RewardConfig;
  /** Per rollout (≥ nRollouts long): its training step, -1 = none (left out). */
  steps: Int32Array;
  /** Per turn (≥ nTurns long): the trainer's advantage, NaN = none. Optional. */
  trainerTurnAdvantage?: Float64Array | null;
  /** Per rollout (≥ nRollouts long): the trainer's reward, NaN = none. Optional. */
  trainerReward?: Float64Array | null;
  /** Estimator for advantages, mismatches, dead turns and sign agreement (default config.estimator). */
  estimator?: EstimatorKind;
  /** Steps per point; 0 / undefined = automatic (at most `maxPoints` points). */
  bucket?: number;
  maxPoints?: number;
}

export interface TimelineTier {
  rho: (number | null)[];
  ci_lo: (number | null)[];
  ci_hi: (number | null)[];
  mean_adv: (number | null)[];
  /** Share of compared turns where the trainer's and WRIT Lab's advantages have the same sign. */
  sign_agreement: (number | null)[];
  sign_compared: number[];
}

export interface TimelineResult {
  estimator: EstimatorKind;
  /** Steps per point. */
  bucket: number;
  min_step: number | null;
  max_step: number | null;
  /** First and last step of each point. */
  step_from: number[];
  step_to: number[];
  rollouts: number[];
  groups: number[];
  turns: number[];
  pass_rate: (number | null)[];
  mismatches: number[];
  /** Tiers with an intended sign but a zero mean advantage (neither aligned nor a mismatch). */
  undefined_direction: number[];
  zero_variance_share: (number | null)[];
  /** Among groups whose every rollout has the trainer's reward: the share where those rewards are all equal (null: none). */
  trainer_zero_variance_share: (number | null)[];
  has_trainer_reward: boolean;
  dead_turn_share: (number | null)[];
  tiers: Record<TierName, TimelineTier>;
  /** Whether any turn carried a trainer advantage (sign agreement is all null otherwise). */
  has_trainer_advantage: boolean;
}

export const DEFAULT_MAX_POINTS = 250;

/** Steps per point so that at most `maxPoints` points cover [min, max]. */
export function autoBucket(minStep: number, maxStep: number, maxPoints = DEFAULT_MAX_POINTS): number {
  const span = maxStep - minStep + 1;
  return Math.max(1, Math.ceil(span / Math.max(1, maxPoints)));
}

export function computeTimeline(input: TimelineInput): TimelineResult {
  const { data, steps } = input;
  const estimator = input.estimator ?? input.config.estimator;
  const R = data.nRollouts;
  const TC = TIER_COUNT;
  const eps = DEAD_EPS;
  let minStep = Infinity;
  let maxStep = -Infinity;
  for (let i = 0; i < R; i++) {
    const s = steps[i];
    if (s < 0) continue;
    if (s < minStep) minStep = s;
    if (s > maxStep) maxStep = s;
  }
  if (minStep === Infinity) return emptyTimeline(estimator, 1, null, null, false, false);
  const bucket = input.bucket && input.bucket > 0 ? Math.floor(input.bucket) : autoBucket(minStep, maxStep, input.maxPoints);
  const nB = Math.floor((maxStep - minStep) / bucket) + 1;
  const bucketOf = (s: number) => ((s - minStep) / bucket) | 0;

  // Advantages of the whole run under the chosen estimator (views into the data's workspace).
  const config = estimator === input.config.estimator ? input.config : { ...input.config, estimator };
  const values = computeTurnValues(data, config);
  const { tier, adv } = values;

  const nRoll = new Int32Array(nB);
  const passes = new Int32Array(nB);
  const nTurns = new Float64Array(nB);
  const dead = new Float64Array(nB);
  const present = new Int32Array(nB * TC);
  const presentPass = new Int32Array(nB * TC);
  const advSum = new Float64Array(nB * TC);
  const advCnt = new Float64Array(nB * TC);
  const agree = new Float64Array(nB * TC);
  const compared = new Float64Array(nB * TC);
  const trainer = input.trainerTurnAdvantage ?? null;
  let hasTrainer = false;
  const { turnOffsets, outcome } = data;

  for (let i = 0; i < R; i++) {
    const s = steps[i];
    if (s < 0) continue;
    const b = bucketOf(s);
    nRoll[b]++;
    const o = outcome[i];
    passes[b] += o;
    const start = turnOffsets[i];
    const end = turnOffsets[i + 1];
    nTurns[b] += end - start;
    let mask = 0;
    const base = b * TC;
    for (let t = start; t < end; t++) {
      const c = tier[t];
      const a = adv[t];
      mask |= 1 << c;
      advSum[base + c] += a;
      advCnt[base + c]++;
      const aDead = a <= eps && a >= -eps;
      if (aDead) dead[b]++;
      if (trainer !== null) {
        const x = trainer[t];
        if (x === x) {
          hasTrainer = true;
          if (!aDead && (x > eps || x < -eps)) {
            compared[base + c]++;
            if (x > 0 === a > 0) agree[base + c]++;
          }
        }
      }
    }
    for (let c = 0; c < TC; c++) {
      if (mask & (1 << c)) {
        present[base + c]++;
        presentPass[base + c] += o;
      }
    }
  }

  // Zero-variance groups: a group's step is its first rollout's (a group never spans steps).
  const nGroups = new Int32Array(nB);
  const zeroVar = new Int32Array(nB);
  const trainerReward = input.trainerReward ?? null;
  const nTrainerGroups = new Int32Array(nB);
  const trainerZeroVar = new Int32Array(nB);
  let hasTrainerReward = false;
  const off = data.groupRolloutOffsets;
  const members = data.groupRollouts;
  for (let g = 0; g < data.nGroups; g++) {
    const a = off[g];
    const e = off[g + 1];
    if (e <= a) continue;
    const s = steps[members[a]];
    if (s < 0) continue;
    const b = bucketOf(s);
    nGroups[b]++;
    const first = outcome[members[a]];
    let same = true;
    for (let k = a + 1; k < e && same; k++) same = outcome[members[k]] === first;
    if (same) zeroVar[b]++;
    if (trainerReward !== null) {
      const r0 = trainerReward[members[a]];
      let all = r0 === r0; // NaN = the trainer sent no reward for this rollout
      let equal = true;
      for (let k = a + 1; k < e && all; k++) {
        const r = trainerReward[members[k]];
        if (r !== r) all = false;
        else if (r !== r0) equal = false;
      }
      if (all) {
        hasTrainerReward = true;
        nTrainerGroups[b]++;
        if (equal) trainerZeroVar[b]++;
      }
    }
  }

  const result = emptyTimeline(estimator, bucket, minStep, maxStep, hasTrainer, hasTrainerReward);
  const tiersOut = result.tiers;
  for (let b = 0; b < nB; b++) {
    if (nRoll[b] === 0) continue; // a step range with nothing ingested: no point, not a zero
    const from = minStep + b * bucket;
    result.step_from.push(from);
    result.step_to.push(Math.min(maxStep, from + bucket - 1));
    result.rollouts.push(nRoll[b]);
    result.groups.push(nGroups[b]);
    result.turns.push(nTurns[b]);
    result.pass_rate.push(passes[b] / nRoll[b]);
    result.zero_variance_share.push(nGroups[b] > 0 ? zeroVar[b] / nGroups[b] : null);
    result.trainer_zero_variance_share.push(nTrainerGroups[b] > 0 ? trainerZeroVar[b] / nTrainerGroups[b] : null);
    result.dead_turn_share.push(nTurns[b] > 0 ? dead[b] / nTurns[b] : null);
    let mismatches = 0;
    let undefinedDirection = 0;
    for (let c = 0; c < TC; c++) {
      const k = b * TC + c;
      const phi = phiFromCounts(nRoll[b], present[k], presentPass[k], passes[b]);
      const meanAdv = advCnt[k] > 0 ? advSum[k] / advCnt[k] : null;
      const t = tiersOut[TIER_NAMES[c]];
      t.rho.push(phi.r);
      t.ci_lo.push(phi.ci ? phi.ci[0] : null);
      t.ci_hi.push(phi.ci ? phi.ci[1] : null);
      t.mean_adv.push(meanAdv !== null && Number.isFinite(meanAdv) ? meanAdv : null);
      t.sign_agreement.push(compared[k] > 0 ? agree[k] / compared[k] : null);
      t.sign_compared.push(compared[k]);
      const rho = phi.r;
      const intended: 1 | -1 | null = rho === null || Math.abs(rho) <= input.config.delta ? null : rho > 0 ? 1 : -1;
      if (intended !== null) {
        const d = tierDirection(meanAdv, intended);
        if (d === "none") undefinedDirection++;
        else if (d === "misaligned") mismatches++;
      }
    }
    result.mismatches.push(mismatches);
    result.undefined_direction.push(undefinedDirection);
  }
  return result;
}

/** A timeline with no points yet: every series empty, one empty series set per tier. */
function emptyTimeline(
  estimator: TimelineResult["estimator"],
  bucket: number,
  minStep: number | null,
  maxStep: number | null,
  hasTrainer: boolean,
  hasTrainerReward: boolean,
): TimelineResult {
  const tiers = {} as Record<TierName, TimelineTier>;
  for (const name of TIER_NAMES) tiers[name] = { rho: [], ci_lo: [], ci_hi: [], mean_adv: [], sign_agreement: [], sign_compared: [] };
  return {
    estimator,
    bucket,
    min_step: minStep,
    max_step: maxStep,
    step_from: [],
    step_to: [],
    rollouts: [],
    groups: [],
    turns: [],
    pass_rate: [],
    mismatches: [],
    undefined_direction: [],
    zero_variance_share: [],
    trainer_zero_variance_share: [],
    dead_turn_share: [],
    tiers,
    has_trainer_advantage: hasTrainer,
    has_trainer_reward: hasTrainerReward,
  };
}
