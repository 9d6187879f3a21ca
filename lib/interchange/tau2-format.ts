/**
 * The τ²-bench results format (the JSON `tau2 run` writes) as WRIT Lab reads it: the zod
 * schemas of the v0.x and v1.x layouts (docs/external-formats.md §1: unknown keys are
 * ignored, tool-call arguments may be objects or strings, ids may be missing), the mapping
 * of termination reasons and arguments, and the τ² fields an import keeps so an export
 * writes them back. Reading a file: tau2-import.ts; writing one: tau2-export.ts.
 */
import { z } from "zod";
import type { Termination, ToolCall } from "../types/messages";
import { taskSchema } from "../types/task";

export const rawToolCallSchema = z
  .object({
    id: z.string().nullish(),
    name: z.string().optional(),
    arguments: z.unknown().optional(),
    function: z.object({ name: z.string(), arguments: z.unknown() }).partial().optional(),
  })
  .passthrough();

export const rawMessageSchema = z
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

export const simulationSchema = z
  .object({
    id: z.string(),
    task_id: z.union([z.string(), z.number()]).transform(String),
    trial: z.number().int().nullish(),
    termination_reason: z.string(),
    reward_info: z.object({ reward: z.number() }).passthrough().nullish(),
    messages: z.array(rawMessageSchema).nullish(),
    seed: z.number().nullish(),
    duration: z.number().nullish(),
    timestamp: z.string().nullish(),
    start_time: z.string().nullish(),
    end_time: z.string().nullish(),
    agent_cost: z.number().nullish(),
    user_cost: z.number().nullish(),
  })
  .passthrough();

export const tau2ResultsSchema = z
  .object({
    timestamp: z.string().nullish(),
    info: z
      .object({
        num_trials: z.number().optional(),
        environment_info: z.object({ domain_name: z.string().nullish() }).passthrough().nullish(),
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

/**
 * Per-message τ² fields the Message type has no place for, kept so an export writes them
 * back: one entry per converted message (same index). raw_data is not kept (provider
 * payloads, often most of the file); see README "Import" for the full list.
 */
export interface Tau2MessageMeta {
  turn_idx?: number | null;
  timestamp?: string | null;
  cost?: number | null;
}

/** Simulation-level τ² fields kept on the rollout (metadata.tau2) so an export writes them back. */
export interface Tau2SimulationMeta {
  id: string;
  trial: number | null;
  seed: number | null;
  timestamp: string | null;
  start_time: string | null;
  end_time: string | null;
  duration: number | null;
  agent_cost: number | null;
  user_cost: number | null;
  termination_reason: string;
  reward_info: Record<string, unknown> | null;
  messages: Tau2MessageMeta[];
}

/** Results-level τ² fields kept on the experiment (metadata.tau2) for the export. */
export interface Tau2ResultsMeta {
  timestamp: string | null;
  info: Record<string, unknown>;
}
