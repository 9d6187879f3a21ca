/**
 * τ²-bench scoring of one trajectory (docs/airline-environment.md, "Scoring").
 *
 * - Termination: anything but user_stop / agent_stop scores 0 (the parts are still
 *   computed, as diagnostics).
 * - DB: the agent's WRITE calls, in order, are replayed on a fresh copy-on-write env over
 *   the base; the task's gold actions on another; equal diff texts (equivalently equal
 *   stateHash(), the hash of that text) ⇔ equal final states.
 *   Recorded tool outputs are never compared. Unknown tools and reads are not replayed.
 * - COMMUNICATE: every communicate_info s must satisfy
 *   s.lower() in content.lower().replace(",", "") for some assistant text message.
 * - ACTION (when listed in reward_basis, as τ² does): every gold action must be matched by
 *   an agent call of the same name whose arguments (all, or only compare_args) are equal.
 * - NL_ASSERTION needs an LLM judge and ENV_ASSERTION runs τ² toolkit assertion functions;
 *   neither is evaluated here: they are left out of the product (recorded in `skipped`).
 *   τ²'s airline tasks use only DB × COMMUNICATE (the v0.1.0 tasks omit reward_basis,
 *   whose default is exactly that).
 * - Diagnostics: read_recall / write_recall = share of gold READ / WRITE actions matched
 *   one-to-one by agent calls with the same name and equal arguments (null when none).
 */
import { AirlineEnv } from "../airline/toolkit/airline-env";
import { createCache } from "../cache/lru";
import { canonicalJson, sha256Hex } from "../airline/canonical";
import type { AirlineState } from "../airline/schema";
import { toolKind } from "../airline/tool-schemas";
import type { Message, Termination, ToolCall } from "../types/messages";
import type { Action, Task } from "../types/task";

export { oracleTrajectory } from "./oracle";

export const DEFAULT_REWARD_BASIS = ["DB", "COMMUNICATE"] as const;
export const SUCCESS_EPS = 1e-6;

export interface EvaluateInput {
  task: Task;
  messages: readonly Message[];
  termination: Termination;
  baseState: AirlineState;
}

export interface Evaluation {
  reward: number;
  db_match: boolean;
  communicate_match: boolean;
  termination: Termination;
  read_recall: number | null;
  write_recall: number | null;
  error?: string;
  /** Which communicate_info strings were not found (diagnostic). */
  missing_communicate?: string[];
  /** Present only when ACTION is in reward_basis. */
  action_match?: boolean;
  /** reward_basis parts that were not evaluated (NL_ASSERTION, ENV_ASSERTION). */
  skipped?: string[];
}

export function isSuccess(reward: number): boolean {
  return Math.abs(reward - 1) <= SUCCESS_EPS;
}

/** The agent's tool calls in order (assistant-side only). */
export function agentToolCalls(messages: readonly Message[]): ToolCall[] {
  const out: ToolCall[] = [];
  for (const m of messages) if (m.role === "assistant" && m.tool_calls) out.push(...m.tool_calls);
  return out;
}

/**
 * Canonical text of the final state's diff after the agent's WRITE calls. Equal texts ⇔
 * equal stateHash() (the hash is of this text); the evaluator compares texts, which
 * spares hashing both sides on every rollout.
 */
export function agentStateText(messages: readonly Message[], base: AirlineState): string {
  const env = new AirlineEnv(base);
  for (const tc of agentToolCalls(messages)) {
    if (toolKind(tc.name) !== "write") continue;
    env.call(tc.name, tc.arguments);
  }
  return env.diffText();
}

/** Final-state hash after the agent's WRITE calls. */
export function agentStateHash(messages: readonly Message[], base: AirlineState): string {
  return sha256Hex(agentStateText(messages, base));
}

/**
 * Gold end-state texts by (base state, gold write list). A task set has one entry per task; the
 * bound only stops unbounded growth. Base states are told apart by an id handed out on first
 * use (never reused, so an entry of a collected base can only age out, never be hit).
 */
const goldTexts = createCache<string>({
  name: "rollouts.gold-state-text",
  maxEntries: 2048,
  purpose: "canonical end-state text after a task's gold writes, per base state (every rollout of a task is scored against it)",
});
const baseIds = new WeakMap<AirlineState, number>();
let nextBaseId = 0;
function baseId(base: AirlineState): number {
  let id = baseIds.get(base);
  if (id === undefined) baseIds.set(base, (id = nextBaseId++));
  return id;
}

/** Canonical text of a gold list's writes, memoised per list (a task's gold list is one array). */
const goldWritesKeys = new WeakMap<object, string>();
function goldWritesKey(actions: readonly Pick<Action, "name" | "arguments">[]): string {
  let k = goldWritesKeys.get(actions);
  if (k === undefined) {
    const writes = actions.filter((a) => toolKind(a.name) === "write");
    goldWritesKeys.set(actions, (k = canonicalJson(writes.map((a) => [a.name, a.arguments]))));
  }
  return k;
}

/** Canonical diff text after the gold actions' writes (memoised per base state and write list). */
export function goldStateText(actions: readonly Pick<Action, "name" | "arguments">[], base: AirlineState): string {
  const key = `${baseId(base)}\0${goldWritesKey(actions)}`;
  const hit = goldTexts.get(key);
  if (hit !== undefined) return hit;
  const env = new AirlineEnv(base);
  for (const a of actions) if (toolKind(a.name) === "write") env.call(a.name, a.arguments);
  const text = env.diffText();
  goldTexts.set(key, text);
  return text;
}

/** Final-state hash after the gold actions (memoised per base state and action list). */
export function goldStateHash(actions: readonly Pick<Action, "name" | "arguments">[], base: AirlineState): string {
  return sha256Hex(goldStateText(actions, base));
}

export function missingCommunicateInfo(infos: readonly string[], messages: readonly Message[]): string[] {
  const texts: string[] = [];
  for (const m of messages) {
    if (m.role === "assistant" && typeof m.content === "string" && m.content.length > 0) {
      texts.push(m.content.toLowerCase().replaceAll(",", ""));
    }
  }
  return infos.filter((s) => !texts.some((t) => t.includes(s.toLowerCase())));
}

function argsOf(tc: ToolCall): Record<string, unknown> | null {
  return typeof tc.arguments === "object" && tc.arguments !== null ? tc.arguments : null;
}

function actionMatches(action: Pick<Action, "name" | "arguments" | "compare_args">, tc: ToolCall): boolean {
  if (action.name !== tc.name) return false;
  const args = argsOf(tc);
  if (!args) return false;
  const keys = action.compare_args ?? Object.keys(action.arguments);
  for (const k of keys) {
    if (canonicalJson(args[k] ?? null) !== canonicalJson(action.arguments[k] ?? null)) return false;
  }
  return true;
}

/**
 * canonicalJson of each call's arguments, computed on first use and shared by both recall
 * passes (a long trajectory was re-serialised once per gold action).
 */
function callArgKeys(calls: readonly ToolCall[]): (i: number) => string | null {
  const keys: (string | null | undefined)[] = new Array(calls.length);
  return (i) => {
    let k = keys[i];
    if (k === undefined) {
      const args = argsOf(calls[i]);
      keys[i] = k = args === null ? null : canonicalJson(args);
    }
    return k;
  };
}

/** Canonical text of a gold action's arguments; every rollout of a task compares against the same objects. */
const goldArgsKeys = new WeakMap<object, string>();
function goldArgsKey(args: Action["arguments"]): string {
  if (args === null || typeof args !== "object") return canonicalJson(args);
  let k = goldArgsKeys.get(args);
  if (k === undefined) goldArgsKeys.set(args, (k = canonicalJson(args)));
  return k;
}

/** Share of gold actions of one kind matched one-to-one by agent calls (exact name + arguments). */
function recall(gold: readonly Action[], calls: readonly ToolCall[], kind: "read" | "write", argKey: (i: number) => string | null): number | null {
  const wanted = gold.filter((a) => toolKind(a.name) === kind);
  if (wanted.length === 0) return null;
  const used = new Set<number>();
  let hit = 0;
  for (const a of wanted) {
    const key = goldArgsKey(a.arguments);
    const idx = calls.findIndex((tc, i) => !used.has(i) && tc.name === a.name && argKey(i) === key);
    if (idx >= 0) {
      used.add(idx);
      hit++;
    }
  }
  return hit / wanted.length;
}

export function evaluateTrajectory(input: EvaluateInput): Evaluation {
  const { task, messages, termination, baseState } = input;
  const criteria = task.evaluation_criteria;
  const gold = criteria?.actions ?? [];
  const calls = agentToolCalls(messages);
  const argKey = callArgKeys(calls);
  const read_recall = recall(gold, calls, "read", argKey);
  const write_recall = recall(gold, calls, "write", argKey);

  if (!criteria) {
    // τ² gives 1.0 to a task without evaluation criteria.
    const ok = termination === "user_stop" || termination === "agent_stop";
    return { reward: ok ? 1 : 0, db_match: true, communicate_match: true, termination, read_recall, write_recall, error: "task has no evaluation_criteria" };
  }

  const db_match = agentStateText(messages, baseState) === goldStateText(gold, baseState);
  const missing = missingCommunicateInfo(criteria.communicate_info ?? [], messages);
  const communicate_match = missing.length === 0;
  const basis = criteria.reward_basis ?? [...DEFAULT_REWARD_BASIS];

  let reward = 1;
  const skipped: string[] = [];
  let action_match: boolean | undefined;
  for (const part of basis) {
    if (part === "DB") reward *= db_match ? 1 : 0;
    else if (part === "COMMUNICATE") reward *= communicate_match ? 1 : 0;
    else if (part === "ACTION") {
      action_match = gold.every((a) => calls.some((tc) => actionMatches(a, tc)));
      reward *= action_match ? 1 : 0;
    } else skipped.push(part);
  }
  if (termination !== "user_stop" && termination !== "agent_stop") reward = 0;

  const result: Evaluation = { reward, db_match, communicate_match, termination, read_recall, write_recall };
  if (missing.length > 0) result.missing_communicate = missing;
  if (action_match !== undefined) result.action_match = action_match;
  if (skipped.length > 0) result.skipped = skipped;
  return result;
}

function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/** pass^k = mean over tasks of C(c, k) / C(n, k); tasks with n < k are left out. */
export function passHatK(successesPerTask: readonly { n: number; c: number }[], k: number): number {
  const usable = successesPerTask.filter((t) => t.n >= k && k >= 1);
  if (usable.length === 0) return 0;
  return usable.reduce((s, t) => s + choose(t.c, k) / choose(t.n, k), 0) / usable.length;
}
