/**
 * Per-call classification of a rollout (docs/reward-calibration.md §2), done once and stored.
 * A call gets every class that applies (a bitmask), never a single winner: tier values and
 * precedence are applied later (lib/analysis), so changing them never re-runs this code.
 * Only the deep-equal toggles, the gold-matching mode and the tool lists affect the result
 * (see classificationKey).
 */
import type { Rollout } from "../types/rollout";
import { classificationKey, type RewardConfig } from "./config";
import { canonicalJson, normalizeJson } from "./deep-equal";
import { TIER_CODE } from "./tiers";
import { extractTurns } from "./turns";

export type ClassifyOptions = Pick<
  RewardConfig,
  "deep_equal" | "gold_matching" | "read_tools" | "write_tools" | "generic_tools"
>;

export interface GoldAction {
  name: string;
  arguments: Record<string, unknown>;
}

export interface ClassifiedCall {
  name: string;
  /** Bitmask of tier codes that apply to this call (1 << TIER_CODE[tier]). */
  classes: number;
  /** matched / total gold arguments of the best same-name gold action when the call is soft, else 0. */
  soft: number;
  /** Canonical normalised arguments (raw string calls are prefixed "raw:"). */
  argsKey: string;
}

export interface ClassifiedTurn {
  /** Union of the calls' classes; a text-only turn is {message}. */
  mask: number;
  /** Best soft fraction among the turn's soft calls, else 0. */
  soft: number;
  /** Completion tokens, or -1 when unknown. */
  tokens: number;
  /** Canonical action: "message" for text, else the calls' name(args) joined by "|". */
  action: string;
  calls: ClassifiedCall[];
}

/** The compact, tier-agnostic row a db loader stores per rollout (see lib/analysis columnar rows). */
export interface ClassifiedRollout {
  rollout_id: string;
  group_id: string;
  task_id: string;
  outcome: 0 | 1;
  /** Write decisions of the task (WRIT W), -1 when unknown. */
  w: number;
  /** Evidence burden: the largest B over the task's writes, -1 when unknown. */
  b: number;
  /** User behaviour profile name, "" when unknown. */
  behavior: string;
  class_key: string;
  turns: ClassifiedTurn[];
}

const BIT = {
  gold: 1 << TIER_CODE.gold,
  soft: 1 << TIER_CODE.soft,
  read: 1 << TIER_CODE.read,
  state: 1 << TIER_CODE.state,
  message: 1 << TIER_CODE.message,
  error: 1 << TIER_CODE.error,
  duplicate: 1 << TIER_CODE.duplicate,
} as const;

interface PreparedGold {
  name: string;
  key: string;
  /** Canonical normalised value per argument, after normalisation (so dropped empties do not count). */
  argKeys: Map<string, string>;
  matched: boolean;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The comparison keys of one gold action's arguments under a deep-equal setting. Every
 * rollout of a task is classified against the same gold argument objects, so the keys are
 * memoised per (deep-equal options, arguments object); both are read-only here.
 */
type GoldKeys = Pick<PreparedGold, "key" | "argKeys">;
// A WeakMap, not createCache: keyed by object identity and released with the object (createCache keys are strings).
const goldKeyCache = new WeakMap<object, WeakMap<object, GoldKeys>>();
function goldKeys(args: Record<string, unknown> | undefined, deepEqual: ClassifyOptions["deep_equal"]): GoldKeys {
  if (!args || typeof deepEqual !== "object" || deepEqual === null) return buildGoldKeys(args, deepEqual);
  let perOptions = goldKeyCache.get(deepEqual);
  if (!perOptions) goldKeyCache.set(deepEqual, (perOptions = new WeakMap()));
  let keys = perOptions.get(args);
  if (!keys) perOptions.set(args, (keys = buildGoldKeys(args, deepEqual)));
  return keys;
}

function buildGoldKeys(args: Record<string, unknown> | undefined, deepEqual: ClassifyOptions["deep_equal"]): GoldKeys {
  const norm = normalizeJson(args ?? {}, deepEqual);
  const argKeys = new Map<string, string>();
  if (isRecord(norm)) for (const [k, v] of Object.entries(norm)) argKeys.set(k, canonicalJson(v));
  return { key: canonicalJson(norm), argKeys };
}

function prepareGold(actions: readonly GoldAction[], opts: ClassifyOptions): PreparedGold[] {
  return actions.map((a) => ({ name: a.name, ...goldKeys(a.arguments, opts.deep_equal), matched: false }));
}

function softFraction(gold: PreparedGold, callArgs: Record<string, unknown>): number {
  if (gold.argKeys.size === 0) return 0;
  let matched = 0;
  for (const [k, v] of gold.argKeys) {
    if (k in callArgs && canonicalJson(callArgs[k]) === v) matched++;
  }
  return matched / gold.argKeys.size;
}

export function readWritMeta(rollout: Rollout): { w: number; b: number; behavior: string } {
  const meta = rollout.metadata?.writ;
  if (!isRecord(meta)) return { w: -1, b: -1, behavior: "" };
  const w = typeof meta.writes === "number" ? meta.writes : -1;
  let b = -1;
  if (Array.isArray(meta.evidence)) {
    for (const e of meta.evidence) if (typeof e === "number" && e > b) b = e;
  } else if (typeof meta.evidence === "number") b = meta.evidence;
  const behavior = typeof meta.behavior === "string" ? meta.behavior : "";
  return { w, b, behavior };
}

/**
 * Classify every call of a rollout. `goldActions` overrides the rollout's own gold_actions
 * (for tasks known to the project whose rollouts omit them).
 */
export function classifyRollout(rollout: Rollout, opts: ClassifyOptions, goldActions?: readonly GoldAction[]): ClassifiedRollout {
  const de = opts.deep_equal;
  const reads = new Set(opts.read_tools);
  const writes = new Set(opts.write_tools);
  const generics = new Set(opts.generic_tools);
  const gold = prepareGold(goldActions ?? (rollout.gold_actions as GoldAction[] | undefined) ?? [], opts);
  const onceOnly = opts.gold_matching === "unmatched_once";
  const seen = new Set<string>();
  const turns: ClassifiedTurn[] = [];

  for (const turn of extractTurns(rollout.messages)) {
    const calls: ClassifiedCall[] = [];
    let mask = 0;
    let soft = 0;
    for (const call of turn.calls) {
      let classes = 0;
      let callSoft = 0;
      let argsKey: string;
      if (typeof call.arguments === "string") {
        classes |= BIT.error;
        argsKey = "raw:" + JSON.stringify(call.arguments);
      } else {
        const norm = normalizeJson(call.arguments, de);
        const normArgs = isRecord(norm) ? norm : {};
        argsKey = canonicalJson(norm);
        let goldHit = -1;
        for (let g = 0; g < gold.length; g++) {
          const cand = gold[g];
          if (cand.name !== call.name || (onceOnly && cand.matched)) continue;
          if (cand.key === argsKey) {
            goldHit = g;
            break;
          }
        }
        if (goldHit >= 0) {
          classes |= BIT.gold;
          if (onceOnly) gold[goldHit].matched = true;
        } else {
          for (const cand of gold) {
            if (cand.name !== call.name || (onceOnly && cand.matched)) continue;
            const f = softFraction(cand, normArgs);
            if (f > callSoft) callSoft = f;
          }
          if (callSoft > 0) classes |= BIT.soft;
        }
      }
      const known = reads.has(call.name) || writes.has(call.name) || generics.has(call.name);
      if (!known || call.toolError) classes |= BIT.error;
      if (reads.has(call.name)) classes |= BIT.read;
      if (writes.has(call.name)) classes |= BIT.state;
      // A generic tool (transfer, …) neither reads nor writes: it tiers like a message unless something ranks higher.
      if (generics.has(call.name) && !reads.has(call.name) && !writes.has(call.name)) classes |= BIT.message;
      const dupKey = call.name + "\u0000" + argsKey;
      if (seen.has(dupKey)) classes |= BIT.duplicate;
      seen.add(dupKey);
      calls.push({ name: call.name, classes, soft: callSoft, argsKey });
      mask |= classes;
      if (callSoft > soft) soft = callSoft;
    }
    if (calls.length === 0) mask = BIT.message;
    const action = calls.length === 0 ? "message" : calls.map((c) => `${c.name}(${c.argsKey})`).join("|");
    turns.push({ mask, soft, tokens: turn.completionTokens ?? -1, action, calls });
  }

  const meta = readWritMeta(rollout);
  return {
    rollout_id: rollout.rollout_id,
    group_id: rollout.group_id,
    task_id: rollout.task_id,
    outcome: rollout.outcome,
    ...meta,
    class_key: classificationKey(opts),
    turns,
  };
}
