/**
 * Scoring one group of trajectories of one task under one reward config: replay + evaluate
 * (lib/rollouts/evaluate), classify (lib/rewards), tier, per-turn rewards and advantages
 * (lib/analysis `analyze` with `includeTurns`, the function whose turn rows the workbench
 * shows and whose `computeTurnValues` twin the RL export writes). Nothing here re-implements
 * a formula: the group is turned into the same columnar data the workbench holds, and the
 * workbench's functions run on it.
 *
 * Why a group alone gives the workbench's numbers: every advantage estimator normalises within
 * a group (outcome GN, per-position or pooled GN over the group's members), so a group's values
 * do not depend on other groups. Sums run over the members in the order given, so send the
 * trajectories in a fixed order (the workbench uses finished order) to get the same last bit.
 *
 * Pure apart from the airline environment's read caches: no database, no clock.
 */
import { analyze, appendClassified, createColumnar, DEAD_EPS, type TurnRow } from "../analysis";
import type { AirlineState } from "../airline/schema";
import {
  canonicalJson,
  classesOfMask,
  classificationKey,
  classifyRollout,
  normalizeJson,
  softFormulaValue,
  tierBit,
  TIER_NAMES,
  type ClassifiedCall,
  type ClassifiedTurn,
  type ClassifyOptions,
  type EstimatorName,
  type GoldAction,
  type RewardConfig,
  type TierName,
} from "../rewards";
import { evaluateTrajectory, isSuccess, type Evaluation } from "../rollouts/evaluate";
import { inferTermination } from "../ingest/score";
import { extractTurns } from "../rewards/turns";
import type { Message, Termination } from "../types/messages";
import type { Rollout } from "../types/rollout";
import type { Task } from "../types/task";

export interface ScoreTrajectoryInput {
  trajectory_id: string;
  messages: Message[];
  /** How the episode ended; when absent, inferred as ingestion does (lib/ingest/score.ts: user stop token → user_stop, else agent_stop). */
  termination?: Termination;
}

export interface ScoreGroupInput {
  task: Task;
  baseState: AirlineState;
  config: RewardConfig;
  /** Overrides config.estimator. */
  estimator?: EstimatorName;
  trajectories: readonly ScoreTrajectoryInput[];
  /** The iteration's tier rho (experiment-wide, as saved) for the per-group mismatch flags; null: unknown. */
  intendedRho?: Partial<Record<TierName, number | null>> | null;
}

export interface ScoredTurn {
  /** k-th agent turn (the RL export's numbering: assistant messages after the greeting). */
  turn: number;
  /** Index of the assistant message in the trajectory's messages. */
  message_index: number;
  tier: TierName;
  /** Every class that applied to the turn's calls (the tier is the one of highest precedence). */
  classes: TierName[];
  reward: number;
  /** The per-turn part of the advantage (MT-GRPO's AI, GN(G) for GTPO/hybrid, 0 for GRPO); null for a single trajectory. */
  turn_advantage_part: number | null;
  /** The turn's advantage under the estimator; null for a single trajectory (undefined, not 0). */
  advantage: number | null;
  /** The gold action a gold-tier turn matched. */
  gold_action: GoldAction | null;
  reason: string;
}

export interface ScoredTrajectory {
  trajectory_id: string;
  /** τ² task success (1 = the final DB state and the required information match the gold). */
  outcome: 0 | 1;
  /** outcome + Σ turn rewards: what a sum-then-normalise estimator (stock GRPO) sees. */
  reward: number;
  reward_components: { outcome: number; turn_reward_sum: number; turn_reward_mean: number | null; n_turns: number };
  evaluation: Evaluation & { termination_source: "given" | "inferred"; replay_error?: string };
  turns: ScoredTurn[];
}

export interface TierGroupFlag {
  n_turns: number;
  mean_advantage: number | null;
  /** sign(rho) of the iteration (null when |rho| ≤ delta or unknown). */
  intended_sign: 1 | -1 | null;
  /** The tier's mean advantage in this group points against the intended sign. */
  mismatch: boolean;
}

export interface ScoredGroup {
  estimator: EstimatorName;
  results: ScoredTrajectory[];
  group: {
    n: number;
    /** Std of the trajectories' `reward` (ddof of the config); null when undefined (n − ddof ≤ 0). */
    reward_std: number | null;
    /** Every trajectory has the same reward: no learning signal from the scalar. */
    zero_variance: boolean;
    /** Every trajectory has the same outcome: the outcome advantage is 0 for all. */
    outcome_zero_variance: boolean;
    pass_rate: number;
    advantages: "defined" | "undefined (single trajectory)";
    mismatches: number;
    tiers: Record<TierName, TierGroupFlag>;
  };
}

function evaluate(task: Task, baseState: AirlineState, t: ScoreTrajectoryInput): ScoredTrajectory["evaluation"] {
  const termination = t.termination ?? inferTermination(t.messages);
  const termination_source = t.termination ? ("given" as const) : ("inferred" as const);
  try {
    return { ...evaluateTrajectory({ task, messages: t.messages, termination, baseState }), termination_source };
  } catch (err) {
    // A trajectory the environment cannot replay still gets a score (0) with the reason: never a 500.
    const reason = err instanceof Error ? err.message : String(err);
    return { reward: 0, db_match: false, communicate_match: false, termination, read_recall: null, write_recall: null, termination_source, replay_error: reason };
  }
}

/** Canonical argument keys of the gold actions (as classify computes them), memoised per gold list. */
const goldKeyLists = new WeakMap<readonly GoldAction[], string[]>();
function findGold(call: ClassifiedCall, gold: readonly GoldAction[], opts: ClassifyOptions): GoldAction | null {
  let keys = goldKeyLists.get(gold);
  if (!keys) goldKeyLists.set(gold, (keys = gold.map((g) => canonicalJson(normalizeJson(g.arguments ?? {}, opts.deep_equal)))));
  for (let i = 0; i < gold.length; i++) if (gold[i].name === call.name && keys[i] === call.argsKey) return gold[i];
  return null;
}

/** The call that gave the turn its tier, and a sentence saying why. */
function explain(turn: ClassifiedTurn, tier: TierName, toolErrors: Map<string, string>, callIds: readonly string[], gold: readonly GoldAction[], opts: ClassifyOptions): { reason: string; gold: GoldAction | null } {
  const bit = tierBit(tier);
  const idx = turn.calls.findIndex((c) => (c.classes & bit) !== 0);
  const call = idx >= 0 ? turn.calls[idx] : undefined;
  if (!call) return { reason: turn.calls.length ? "no call ranked higher than a message" : "text reply, no tool call", gold: null };
  const name = call.name;
  switch (tier) {
    case "gold": {
      const g = findGold(call, gold, opts);
      return { reason: `matches gold action ${name}`, gold: g };
    }
    case "soft":
      return { reason: `partial match of a gold ${name}: ${Math.round(call.soft * 100)}% of its arguments equal (value ${softFormulaValue(call.soft)} under the soft formula)`, gold: null };
    case "error": {
      if (call.argsKey.startsWith("raw:")) return { reason: `${name}: arguments are not valid JSON`, gold: null };
      const known = opts.read_tools.includes(name) || opts.write_tools.includes(name) || opts.generic_tools.includes(name);
      if (!known) return { reason: `unknown tool ${JSON.stringify(name)}`, gold: null };
      const text = toolErrors.get(callIds[idx]);
      return { reason: `${name} returned an error${text ? `: ${text.slice(0, 200)}` : ""}`, gold: null };
    }
    case "duplicate":
      return { reason: `repeats an earlier ${name} call with equal arguments`, gold: null };
    case "state":
      return { reason: `write ${name} that matches no (unmatched) gold action`, gold: null };
    case "read":
      return { reason: `read ${name} that matches no (unmatched) gold action`, gold: null };
    default:
      return { reason: `${name} neither reads nor writes`, gold: null };
  }
}

const sign = (v: number | null): 1 | -1 | 0 => (v === null ? 0 : v > DEAD_EPS ? 1 : v < -DEAD_EPS ? -1 : 0);

function stdOf(values: readonly number[], ddof: number): number | null {
  const n = values.length;
  if (n - ddof <= 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  return Math.sqrt(ss / (n - ddof));
}

export function scoreGroup(input: ScoreGroupInput): ScoredGroup {
  const config: RewardConfig = input.estimator ? { ...input.config, estimator: input.estimator } : input.config;
  const opts: ClassifyOptions = { deep_equal: config.deep_equal, gold_matching: config.gold_matching, read_tools: config.read_tools, write_tools: config.write_tools, generic_tools: config.generic_tools };
  const gold: GoldAction[] = (input.task.evaluation_criteria?.actions ?? []).map((a) => ({ name: a.name, arguments: a.arguments as Record<string, unknown> }));
  const single = input.trajectories.length < 2;

  const evaluations = input.trajectories.map((t) => evaluate(input.task, input.baseState, t));
  const classified = input.trajectories.map((t, i) => {
    const rollout = {
      rollout_id: `${i}`,
      task_id: input.task.id,
      group_id: "g",
      sample_index: i,
      outcome: isSuccess(evaluations[i].reward) ? 1 : 0,
      reward: evaluations[i].reward,
      termination: evaluations[i].termination,
      messages: t.messages,
    } as Rollout;
    return classifyRollout(rollout, opts, gold);
  });

  // The workbench's path: classified rows → columnar → analyze (turn rows + per-tier means).
  const data = appendClassified(createColumnar(classificationKey(opts), 64, Math.max(16, classified.length)), classified);
  const analysis = analyze(data, config, { includeTurns: true });
  const rows = analysis.turns as TurnRow[];

  let row = 0;
  const results: ScoredTrajectory[] = input.trajectories.map((t, i) => {
    const c = classified[i];
    const agentTurns = extractTurns(t.messages);
    const toolErrors = new Map<string, string>();
    for (const m of t.messages) if (m.role === "tool" && m.error) toolErrors.set(m.tool_call_id, m.content);
    let turnSum = 0;
    const turns: ScoredTurn[] = c.turns.map((turn, k) => {
      const r = rows[row++];
      const tier = r.tier;
      const why = explain(turn, tier, toolErrors, agentTurns[k].calls.map((x) => x.id), gold, opts);
      turnSum += r.reward;
      return {
        turn: k,
        message_index: agentTurns[k].messageIndex,
        tier,
        classes: classesOfMask(turn.mask),
        reward: r.reward,
        turn_advantage_part: single ? null : r.ai,
        advantage: single ? null : r.adv,
        gold_action: why.gold,
        reason: why.reason,
      };
    });
    const outcome = c.outcome;
    return {
      trajectory_id: t.trajectory_id,
      outcome,
      reward: outcome + turnSum,
      reward_components: { outcome, turn_reward_sum: turnSum, turn_reward_mean: turns.length ? turnSum / turns.length : null, n_turns: turns.length },
      evaluation: evaluations[i],
      turns,
    };
  });

  const tiers = {} as Record<TierName, TierGroupFlag>;
  let mismatches = 0;
  for (const name of TIER_NAMES) {
    const rho = input.intendedRho?.[name] ?? null;
    // The workbench's rule (lib/analysis/estimator-summary.ts summarize): skip |rho| ≤ delta; compare signs with DEAD_EPS.
    const intended: 1 | -1 | null = rho === null || Math.abs(rho) <= config.delta ? null : rho > 0 ? 1 : -1;
    const meanAdv = single ? null : analysis.tiers[name].mean_adv;
    const nTurns = analysis.tiers[name].n_turns;
    const mismatch = !single && intended !== null && nTurns > 0 && sign(meanAdv) !== intended;
    if (mismatch) mismatches++;
    tiers[name] = { n_turns: nTurns, mean_advantage: meanAdv, intended_sign: intended, mismatch };
  }

  const rewards = results.map((r) => r.reward);
  const passes = results.reduce((s, r) => s + r.outcome, 0);
  return {
    estimator: config.estimator,
    results,
    group: {
      n: results.length,
      reward_std: stdOf(rewards, config.ddof),
      zero_variance: rewards.every((r) => r === rewards[0]),
      outcome_zero_variance: passes === 0 || passes === results.length,
      pass_rate: results.length ? passes / results.length : 0,
      advantages: single ? "undefined (single trajectory)" : "defined",
      mismatches,
      tiers,
    },
  };
}
