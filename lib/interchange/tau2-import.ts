/**
 * τ²-bench simulation results (the JSON `tau2 run` writes) → WRIT Lab rollouts and tasks.
 * Accepts v0.x and v1.x layouts (docs/external-formats.md §1; schemas in tau2-format.ts):
 * unknown keys are ignored, tool-call arguments may be objects or strings, ids may be missing.
 */
import { primaryZodProblem } from "../errors/zod-issue";
import type { z } from "zod";
import type { Message, ToolCall } from "../types/messages";
import type { Rollout } from "../types/rollout";
import type { Task } from "../types/task";
import {
  mapTermination,
  normalizeArguments,
  tau2ResultsSchema,
  type rawMessageSchema,
  type Tau2MessageMeta,
  type Tau2Results,
  type Tau2ResultsMeta,
  type Tau2SimulationMeta,
} from "./tau2-format";

function metaOf(m: z.infer<typeof rawMessageSchema>): Tau2MessageMeta {
  const r = m as Record<string, unknown>;
  const meta: Tau2MessageMeta = {};
  if ("turn_idx" in r) meta.turn_idx = typeof r.turn_idx === "number" ? r.turn_idx : null;
  if ("timestamp" in r) meta.timestamp = typeof r.timestamp === "string" ? r.timestamp : null;
  if ("cost" in r) meta.cost = typeof r.cost === "number" ? r.cost : null;
  return meta;
}

function usageOf(m: z.infer<typeof rawMessageSchema>) {
  return m.usage && (m.usage.prompt_tokens != null || m.usage.completion_tokens != null)
    ? { prompt_tokens: m.usage.prompt_tokens ?? 0, completion_tokens: m.usage.completion_tokens ?? 0 }
    : undefined;
}

function convertMessages(raw: z.infer<typeof rawMessageSchema>[], simId: string, metas: Tau2MessageMeta[] = []): Message[] {
  const out: Message[] = [];
  let synthesized = 0;
  for (const m of raw) {
    const before = out.length;
    if (m.role === "assistant") {
      const calls = (m.tool_calls ?? [])
        .filter((c) => c.requestor !== "user")
        .map((c): ToolCall => ({
          id: c.id || `${simId.slice(0, 8)}-c${synthesized++}`,
          name: c.name ?? c.function?.name ?? "",
          arguments: normalizeArguments(c.arguments ?? c.function?.arguments),
        }));
      const usage = usageOf(m);
      out.push({
        role: "assistant",
        content: m.content ?? null,
        ...(calls.length ? { tool_calls: calls } : {}),
        ...(usage ? { usage } : {}),
      });
    } else if (m.role === "user") {
      const usage = usageOf(m);
      out.push({ role: "user", content: m.content ?? "", ...(usage ? { usage } : {}) });
    } else if (m.role === "tool") {
      if (m.requestor === "user") continue; // user-side tools are not part of the agent's trajectory
      out.push({ role: "tool", tool_call_id: m.id ?? m.tool_call_id ?? "", content: m.content ?? "", error: m.error ?? false });
    }
    // system messages are not stored in τ² runs; anything else is ignored.
    if (out.length > before) metas.push(metaOf(m));
  }
  // Ids synthesized for calls must also pair with their tool messages: τ² emits results in call order.
  let pending: string[] = [];
  for (const m of out) {
    if (m.role === "assistant") pending = (m.tool_calls ?? []).map((c) => c.id);
    else if (m.role === "tool" && !m.tool_call_id) m.tool_call_id = pending.shift() ?? "";
    else if (m.role === "tool") pending = pending.filter((id) => id !== m.tool_call_id);
  }
  return out;
}

/** A simulation whose recorded task does not fit the task set (unknown id, other task's gold). */
export interface TaskMismatch {
  /** 0-based index in the file's simulations array. */
  simulation: number;
  id: string;
  task_id: string;
  reason: string;
}

export interface ImportedResults {
  tasks: Task[];
  rollouts: Rollout[];
  /** Simulations skipped (no messages, e.g. full-duplex voice runs), with the reason. */
  skipped: { id: string; reason: string }[];
  /** The file's domain (info.environment_info.domain_name), when stated. */
  domain: string | null;
  results: Tau2ResultsMeta;
  mismatches: TaskMismatch[];
}

/** Domains whose files are refused by the airline workbench. */
export class WrongDomainError extends Error {}

/** The domain a results file declares: info.environment_info.domain_name, else its tasks' instructions.domain. */
export function declaredDomain(results: Tau2Results): string | null {
  const named = results.info.environment_info?.domain_name;
  if (named) return named;
  for (const t of results.tasks) {
    const ins = t.user_scenario.instructions;
    if (typeof ins === "object" && ins.domain) return ins.domain;
  }
  return null;
}

/** A stable text of an action (name + arguments) for comparisons. */
function actionKey(a: { name?: unknown; arguments?: unknown }): string {
  return JSON.stringify([a.name ?? null, sortKeys(a.arguments ?? null)]);
}
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, sortKeys(o[k])]));
  }
  return v;
}

/**
 * Does what a simulation recorded about its evaluation (reward_info.action_checks,
 * communicate_checks) belong to `task`? A file that numbers tasks by
 * position passes the id check but records another task's gold actions; this catches it.
 * Returns the reason of the first disagreement, or null.
 */
export function recordedCriteriaMismatch(rewardInfo: Record<string, unknown> | null | undefined, task: Task): string | null {
  if (!rewardInfo) return null;
  const criteria = task.evaluation_criteria;
  const gold = criteria?.actions ?? [];
  const goldIds = new Set(gold.map((a) => a.action_id).filter((x): x is string => typeof x === "string"));
  const goldKeys = new Set(gold.map(actionKey));
  const checks = Array.isArray(rewardInfo.action_checks) ? (rewardInfo.action_checks as { action?: Record<string, unknown> }[]) : [];
  for (const c of checks) {
    const a = c?.action;
    if (!a || typeof a !== "object") continue;
    const id = typeof a.action_id === "string" ? a.action_id : null;
    if (id && goldIds.size > 0 && !goldIds.has(id)) return `recorded action check ${id} (${String(a.name)}) is not one of task ${task.id}'s gold actions`;
    if (!goldKeys.has(actionKey(a))) return `recorded action check ${id ?? String(a.name)} has other arguments than task ${task.id}'s gold action`;
  }
  if (checks.length > 0 && checks.length !== gold.length) return `${checks.length} recorded action checks, task ${task.id} has ${gold.length} gold actions`;
  // NL assertions are not compared: real files re-judged under later task texts record other wording
  // for the same task (seen in a 2025 gpt-4.1 run), and they are not part of the airline reward.
  const comm = Array.isArray(rewardInfo.communicate_checks) ? (rewardInfo.communicate_checks as { info?: unknown }[]) : [];
  const goldComm = new Set(criteria?.communicate_info ?? []);
  for (const c of comm) {
    if (typeof c?.info === "string" && !goldComm.has(c.info)) return `recorded communicate check "${c.info.slice(0, 80)}" is not task ${task.id}'s`;
  }
  return null;
}

/**
 * Parse a τ² results document. Throws a ZodError naming the path of the first bad field,
 * WrongDomainError for another domain than `expectDomain` (default airline). Task-id and
 * recorded-criteria problems are returned in `mismatches` (by simulation index) for the
 * caller to refuse or report; `referenceTasks` (the task set the import is checked against)
 * is used when the file ships no task of that id.
 */
export function importTau2Results(json: unknown, opts: { expectDomain?: string | null; referenceTasks?: readonly Task[] } = {}): ImportedResults {
  const parsed = tau2ResultsSchema.safeParse(json);
  if (!parsed.success) {
    // One readable line (the field and what is wrong), not zod's JSON dump of every issue.
    const problem = primaryZodProblem(parsed.error);
    throw new Error(`not a τ² results file: ${problem.field}: ${problem.message}`);
  }
  const results = parsed.data;
  const expect = opts.expectDomain === undefined ? "airline" : opts.expectDomain;
  const domain = declaredDomain(results);
  if (expect && domain && domain !== expect) {
    throw new WrongDomainError(`this is a τ² "${domain}" results file; the workbench's environment is the ${expect} domain, so it cannot be scored here`);
  }
  const agent = results.info.agent_info?.llm ?? results.info.agent_info?.implementation ?? "tau2";
  const user = results.info.user_info?.llm ?? results.info.user_info?.implementation ?? "tau2";
  const taskById = new Map<string, Task>();
  for (const t of opts.referenceTasks ?? []) taskById.set(t.id, t);
  for (const t of results.tasks) taskById.set(t.id, t);
  const trialsSeen = new Map<string, number>();
  const rollouts: Rollout[] = [];
  const skipped: ImportedResults["skipped"] = [];
  const mismatches: TaskMismatch[] = [];
  results.simulations.forEach((sim, index) => {
    const task = taskById.get(sim.task_id);
    if (!task) {
      mismatches.push({ simulation: index, id: sim.id, task_id: sim.task_id, reason: `unknown task id "${sim.task_id}" (not in the file's tasks${opts.referenceTasks ? " nor the task set" : ""})` });
    } else {
      const why = recordedCriteriaMismatch(sim.reward_info as Record<string, unknown> | null | undefined, task);
      if (why) mismatches.push({ simulation: index, id: sim.id, task_id: sim.task_id, reason: why });
    }
    if (!sim.messages || sim.messages.length === 0) {
      skipped.push({ id: sim.id, reason: "simulation has no messages (full-duplex runs are not supported)" });
      return;
    }
    const sample = sim.trial ?? trialsSeen.get(sim.task_id) ?? 0;
    trialsSeen.set(sim.task_id, sample + 1);
    const messageMeta: Tau2MessageMeta[] = [];
    const messages = convertMessages(sim.messages, sim.id, messageMeta);
    const reward = sim.reward_info?.reward ?? 0;
    const usage = messages.reduce(
      (acc, m) => {
        if (m.role === "assistant" && m.usage) {
          acc.prompt_tokens += m.usage.prompt_tokens;
          acc.completion_tokens += m.usage.completion_tokens;
        }
        return acc;
      },
      { prompt_tokens: 0, completion_tokens: 0 },
    );
    const tau2: Tau2SimulationMeta = {
      id: sim.id,
      trial: sim.trial ?? null,
      seed: sim.seed ?? null,
      timestamp: sim.timestamp ?? null,
      start_time: sim.start_time ?? null,
      end_time: sim.end_time ?? null,
      duration: sim.duration ?? null,
      agent_cost: sim.agent_cost ?? null,
      user_cost: sim.user_cost ?? null,
      termination_reason: sim.termination_reason,
      reward_info: (sim.reward_info as Record<string, unknown> | null | undefined) ?? null,
      messages: messageMeta,
    };
    rollouts.push({
      rollout_id: `r-${sim.id}`,
      task_id: sim.task_id,
      group_id: `g-${sim.task_id}`,
      sample_index: sample,
      outcome: Math.abs(reward - 1) < 1e-6 ? 1 : 0,
      reward,
      termination: mapTermination(sim.termination_reason),
      messages,
      usage,
      metadata: { agent, user, source: "tau2", tau2_termination: sim.termination_reason, tau2 },
    });
  });
  const info = { ...(results.info as Record<string, unknown>) };
  return { tasks: results.tasks, rollouts, skipped, domain, results: { timestamp: results.timestamp ?? null, info }, mismatches };
}
