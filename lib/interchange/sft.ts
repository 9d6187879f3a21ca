/**
 * SFT export (WRIT stage 3): keep a rollout only if it succeeded (reward = 1) and ended by
 * a user stop; optionally also require that its reads cover the task's gold read plan, so
 * read-heavy trajectories really contain the evidence. One JSON line per rollout in the
 * OpenAI chat format with tools (readable by TRL's SFTTrainer and OpenAI fine-tuning).
 */
import type { ToolSchema } from "../agents/types";
import type { Rollout } from "../types/rollout";
import type { Action } from "../types/task";
import { toOpenAIChatMessages, type OpenAIChatMessage } from "./openai-chat";

export interface SftRow {
  messages: OpenAIChatMessage[];
  tools: ToolSchema[];
  metadata: { rollout_id: string; task_id: string; group_id: string };
}

export interface SftFilterOptions {
  requireReadCoverage?: boolean;
  /** task id → gold read plan; needed for requireReadCoverage. */
  readPlans?: ReadonlyMap<string, readonly Action[]>;
}

export function keepForSft(rollout: Rollout, opts: SftFilterOptions = {}): boolean {
  if (rollout.outcome !== 1 || rollout.termination !== "user_stop") return false;
  if (!opts.requireReadCoverage) return true;
  const plan = opts.readPlans?.get(rollout.task_id);
  if (!plan) return false;
  const made = new Set<string>();
  for (const m of rollout.messages) {
    if (m.role !== "assistant") continue;
    for (const c of m.tool_calls ?? []) made.add(c.name + " " + canonicalJson(c.arguments));
  }
  return plan.every((a) => made.has(a.name + " " + canonicalJson(a.arguments)));
}

export function toSftRow(rollout: Rollout, systemPrompt: string, tools: readonly ToolSchema[]): SftRow {
  return {
    messages: [{ role: "system", content: systemPrompt }, ...toOpenAIChatMessages(rollout.messages)],
    tools: [...tools],
    metadata: { rollout_id: rollout.rollout_id, task_id: rollout.task_id, group_id: rollout.group_id },
  };
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return "[" + value.map(canonicalJson).join(",") + "]";
  if (value && typeof value === "object") {
    const keys = Object.keys(value as object).sort();
    return "{" + keys.map((k) => JSON.stringify(k) + ":" + canonicalJson((value as Record<string, unknown>)[k])).join(",") + "}";
  }
  return JSON.stringify(value) ?? "null";
}
