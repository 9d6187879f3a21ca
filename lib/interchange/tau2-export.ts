/** WRIT Lab rollouts → a τ²-bench results document (v0.x layout); the format is tau2-format.ts's. */
import { AGENT_GREETING, type Message, type Termination } from "../types/messages";
import type { Rollout } from "../types/rollout";
import type { Task } from "../types/task";
import type { Tau2ResultsMeta, Tau2SimulationMeta } from "./tau2-format";

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
  /** The results-level fields of an imported τ² file: written back unchanged. */
  results?: Tau2ResultsMeta | null;
}): Record<string, unknown> {
  const ts = input.timestamp ?? new Date(0).toISOString().replace("Z", "");
  return {
    timestamp: input.results ? input.results.timestamp : ts,
    info: input.results ? input.results.info : {
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
    simulations: input.rollouts.map((r) => {
      const kept = keptSimulation(r);
      return kept ? simulationFromKept(r, kept) : {
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
    };
    }),
  };
}

/** The τ² simulation fields an import kept on the rollout (metadata.tau2), if any. */
function keptSimulation(r: Rollout): Tau2SimulationMeta | null {
  const t = r.metadata?.tau2;
  if (!t || typeof t !== "object" || typeof (t as { id?: unknown }).id !== "string") return null;
  return t as Tau2SimulationMeta;
}

/** An imported simulation written back with its own id, trial, seed, times, costs and reward_info. */
function simulationFromKept(r: Rollout, t: Tau2SimulationMeta): Record<string, unknown> {
  const messages = toTau2Messages(r.messages, t.timestamp ?? "");
  messages.forEach((m, i) => {
    const meta = t.messages?.[i];
    if (!meta) return;
    if ("turn_idx" in meta) m.turn_idx = meta.turn_idx;
    if ("timestamp" in meta) m.timestamp = meta.timestamp;
    if ("cost" in meta && m.role !== "tool") m.cost = meta.cost;
  });
  return {
    id: t.id,
    task_id: r.task_id,
    timestamp: t.timestamp,
    start_time: t.start_time,
    end_time: t.end_time,
    duration: t.duration,
    termination_reason: t.termination_reason,
    agent_cost: t.agent_cost,
    user_cost: t.user_cost,
    reward_info: t.reward_info,
    messages,
    trial: t.trial,
    seed: t.seed,
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
