/**
 * One interface for every agent and user driver: the built-in simulated ones and the
 * OpenAI-compatible ones. A driver gets the whole conversation so far (rollout message
 * format) and returns the next message; it never sees the task's gold (agents) and
 * never touches the environment (the runner executes tool calls).
 */
import type { AssistantMessage, Message, UserMessage } from "../types/messages";
import type { Task } from "../types/task";

/** OpenAI function-calling tool schema, as sent to a model. */
export interface ToolSchema {
  type: "function";
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

export interface AgentTurnInput {
  messages: readonly Message[];
  tools: readonly ToolSchema[];
  policy: string;
  signal?: AbortSignal;
}

export interface AgentDriver {
  /** Shown in the UI; simulated drivers say so ("simulated agent (expert)"). */
  readonly label: string;
  nextTurn(input: AgentTurnInput): Promise<AssistantMessage>;
}

export interface UserTurnInput {
  messages: readonly Message[];
  task: Task;
  signal?: AbortSignal;
}

export interface UserDriver {
  readonly label: string;
  /** The reply; ending it with a stop token (###STOP### …) ends the episode. */
  nextTurn(input: UserTurnInput): Promise<UserMessage>;
}
