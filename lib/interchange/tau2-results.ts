/**
 * τ²-bench simulation results (the JSON `tau2 run` writes) ⇄ WRIT Lab rollouts.
 * Accepts v0.x and v1.x layouts (docs/external-formats.md §1): unknown keys are ignored,
 * tool-call arguments may be objects or strings, ids may be missing.
 */
import { z } from "zod";
import { AGENT_GREETING, type Message, type Termination, type ToolCall } from "../types/messages";
import type { Rollout } from "../types/rollout";
import { taskSchema, type Task } from "../types/task";

const rawToolCallSchema = z
  .object({
    id: z.string().nullish(),
    name: z.string().optional(),
    arguments: z.unknown().optional(),
    function: z.object({ name: z.string(), arguments: z.unknown() }).partial().optional(),
  })
  .passthrough();

const rawMessageSchema = z
  .object({
    role: z.string(),
    content: z.string().nullish(),
    tool_calls: z.array(rawToolCallSchema).nullish(),
    id: z.string().nullish(),
    tool_call_id: z.string().nullish(),
    error: z.boolean().nullish(),
    usage: z
      .object({ prompt_tokens: z.number().nullish(), completion_tokens: z.number().nullish() })
      .passthrough()
      .nullish(),
    requestor: z.string().nullish(),
  })
  .passthrough();

const simulationSchema = z
  .object({
    id: z.string(),
    task_id: z.union([z.string(), z.number()]).transform(String),
    trial: z.number().int().nullish(),
    termination_reason: z.string(),
    reward_info: z.object({ reward: z.number() }).passthrough().nullish(),
    messages: z.array(rawMessageSchema).nullish(),
    seed: z.number().nullish(),
    duration: z.number().nullish(),
  })
  .passthrough();

export const tau2ResultsSchema = z
  .object({
    timestamp: z.string().nullish(),
    info: z
      .object({
        num_trials: z.number().optional(),
        agent_info: z.object({ implementation: z.string().optional(), llm: z.string().nullish() }).passthrough().optional(),
        user_info: z.object({ implementation: z.string().optional(), llm: z.string().nullish() }).passthrough().optional(),
      })
      .passthrough(),
    tasks: z.array(taskSchema).default([]),
    simulations: z.array(simulationSchema),
  })
  .passthrough();
export type Tau2Results = z.infer<typeof tau2ResultsSchema>;

/** τ² termination reasons → ours. v1 reasons that are failures of the run map to "error". */
export function mapTermination(reason: string): Termination {
  switch (reason) {
    case "user_stop":
      return "user_stop";
    case "agent_stop":
      return "agent_stop";
    case "max_steps":
      return "max_turns";
    case "too_many_errors":
      return "too_many_errors";
    default:
      return "error";
  }
}

/** Arguments as an object; a string that does not parse to an object is kept raw (the call is an error). */
export function normalizeArguments(raw: unknown): ToolCall["arguments"] {
  if (raw && typeof raw === "object" && !Array.isArray(raw)) return raw as Record<string, unknown>;
  if (typeof raw === "string") {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      /* keep the raw string below */
    }
    return raw;
  }
  return raw === undefined || raw === null ? {} : String(raw);
}

function convertMessages(raw: z.infer<typeof rawMessageSchema>[], simId: string): Message[] {
  const out: Message[] = [];
  let synthesized = 0;
  for (const m of raw) {
    if (m.role === "assistant") {
      const calls = (m.tool_calls ?? [])
        .filter((c) => c.requestor !== "user")
        .map((c): ToolCall => ({
          id: c.id || `${simId.slice(0, 8)}-c${synthesized++}`,
          name: c.name ?? c.function?.name ?? "",
          arguments: normalizeArguments(c.arguments ?? c.function?.arguments),
        }));
      const usage =
        m.usage && (m.usage.prompt_tokens != null || m.usage.completion_tokens != null)
          ? { prompt_tokens: m.usage.prompt_tokens ?? 0, completion_tokens: m.usage.completion_tokens ?? 0 }
          : undefined;
      out.push({
        role: "assistant",
        content: m.content ?? null,
        ...(calls.length ? { tool_calls: calls } : {}),
        ...(usage ? { usage } : {}),
      });
    } else if (m.role === "user") {
      out.push({ role: "user", content: m.content ?? "" });
    } else if (m.role === "tool") {
      if (m.requestor === "user") continue; // user-side tools are not part of the agent's trajectory
      out.push({ role: "tool", tool_call_id: m.id ?? m.tool_call_id ?? "", content: m.content ?? "", error: m.error ?? false });
    }
    // system messages are not stored in τ² runs; anything else is ignored.
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

export interface ImportedResults {
  tasks: Task[];
  rollouts: Rollout[];
  /** Simulations skipped (no messages, e.g. full-duplex voice runs), with the reason. */
  skipped: { id: string; reason: string }[];
}

/** Parse a τ² results document. Throws a ZodError naming the path of the first bad field. */
export function importTau2Results(json: unknown): ImportedResults {
  const results = tau2ResultsSchema.parse(json);
  const agent = results.info.agent_info?.llm ?? results.info.agent_info?.implementation ?? "tau2";
  const user = results.info.user_info?.llm ?? results.info.user_info?.implementation ?? "tau2";
  const trialsSeen = new Map<string, number>();
  const rollouts: Rollout[] = [];
  const skipped: ImportedResults["skipped"] = [];
  for (const sim of results.simulations) {
    if (!sim.messages || sim.messages.length === 0) {
      skipped.push({ id: sim.id, reason: "simulation has no messages (full-duplex runs are not supported)" });
      continue;
    }
    const sample = sim.trial ?? trialsSeen.get(sim.task_id) ?? 0;
    trialsSeen.set(sim.task_id, sample + 1);
    const messages = convertMessages(sim.messages, sim.id);
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
      metadata: { agent, user, source: "tau2", tau2_termination: sim.termination_reason },
    });
  }
  return { tasks: results.tasks, rollouts, skipped };
}

function toTau2Termination(t: Termination): string {
  return t === "max_turns" ? "max_steps" : t === "error" ? "agent_error" : t;
}

/** Write rollouts as a τ² v0.x-style results document (every required field present, optionals null). */
export function exportTau2Results(input: {
  rollouts: readonly Rollout[];
  tasks: readonly Task[];
  policy: string;
  agentLabel: string;
  userLabel: string;
  numTrials: number;
  maxSteps: number;
  maxErrors: number;
  seed: number | null;
  timestamp?: string;
}): Record<string, unknown> {
  const ts = input.timestamp ?? new Date(0).toISOString().replace("Z", "");
  return {
    timestamp: ts,
    info: {
      git_commit: "writ-lab",
      num_trials: input.numTrials,
      max_steps: input.maxSteps,
      max_errors: input.maxErrors,
      seed: input.seed,
      user_info: { implementation: "user_simulator", llm: input.userLabel, llm_args: null, global_simulation_guidelines: null },
      agent_info: { implementation: "llm_agent", llm: input.agentLabel, llm_args: null },
      environment_info: { domain_name: "airline", policy: input.policy, tool_defs: null },
    },
    tasks: input.tasks,
    simulations: input.rollouts.map((r) => ({
      id: r.rollout_id,
      task_id: r.task_id,
      timestamp: ts,
      start_time: ts,
      end_time: ts,
      duration: 0,
      termination_reason: toTau2Termination(r.termination),
      agent_cost: null,
      user_cost: null,
      reward_info: {
        reward: r.reward,
        db_check: null,
        env_assertions: null,
        action_checks: null,
        nl_assertions: null,
        communicate_checks: null,
        reward_basis: ["DB", "COMMUNICATE"],
        reward_breakdown: null,
        info: null,
      },
      messages: toTau2Messages(r.messages, ts),
      trial: r.sample_index,
      seed: input.seed,
    })),
  };
}

function toTau2Messages(messages: readonly Message[], ts: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  messages.forEach((m, turn_idx) => {
    if (m.role === "tool") {
      out.push({ id: m.tool_call_id, role: "tool", content: m.content, requestor: "assistant", error: m.error, turn_idx, timestamp: ts });
      return;
    }
    const base = { role: m.role, content: m.content, turn_idx, timestamp: ts, cost: null, raw_data: null };
    if (m.role === "user") {
      out.push({ ...base, tool_calls: null, usage: m.usage ?? null });
      return;
    }
    const calls = m.tool_calls?.length
      ? m.tool_calls.map((c) => ({
          id: c.id,
          name: c.name,
          // τ² stores objects; a raw (unparsable) string is kept under a marker key so nothing is lost.
          arguments: typeof c.arguments === "string" ? { __raw: c.arguments } : c.arguments,
          requestor: "assistant",
        }))
      : null;
    const isGreeting = turn_idx === 0 && m.content === AGENT_GREETING;
    out.push({ ...base, tool_calls: calls, usage: m.usage ?? null, cost: isGreeting ? 0 : null });
  });
  return out;
}
