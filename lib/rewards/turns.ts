/**
 * Agent turns of a conversation: every assistant message after τ²'s fixed opening greeting.
 * Each turn carries its tool calls with the tool-side error flag and its completion tokens.
 */
import { AGENT_GREETING, type Message, type ToolCall } from "../types/messages";

export interface TurnCall {
  id: string;
  name: string;
  arguments: ToolCall["arguments"];
  /** The matching tool message said error: true. */
  toolError: boolean;
}

export interface AgentTurn {
  /** Index of the assistant message in the conversation. */
  messageIndex: number;
  calls: TurnCall[];
  /** Completion tokens from the message's usage, or null when the driver did not report usage. */
  completionTokens: number | null;
}

export function isGreeting(message: Message): boolean {
  return (
    message.role === "assistant" &&
    (message.tool_calls === undefined || message.tool_calls.length === 0) &&
    typeof message.content === "string" &&
    message.content.trim() === AGENT_GREETING
  );
}

export function extractTurns(messages: readonly Message[]): AgentTurn[] {
  const toolErrors = new Map<string, boolean>();
  for (const m of messages) if (m.role === "tool") toolErrors.set(m.tool_call_id, m.error === true);
  const firstAssistant = messages.findIndex((m) => m.role === "assistant");
  const turns: AgentTurn[] = [];
  messages.forEach((m, index) => {
    if (m.role !== "assistant") return;
    if (index === firstAssistant && isGreeting(m)) return;
    const calls = (m.tool_calls ?? []).map((c) => ({
      id: c.id,
      name: c.name,
      arguments: c.arguments,
      toolError: toolErrors.get(c.id) === true,
    }));
    turns.push({ messageIndex: index, calls, completionTokens: m.usage ? m.usage.completion_tokens : null });
  });
  return turns;
}
