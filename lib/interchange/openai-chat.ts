/**
 * Rollout messages → OpenAI chat format (the shape TRL, verl and OpenAI fine-tuning read):
 * assistant tool calls as {id, type: "function", function: {name, arguments: JSON string}},
 * tool results as {role: "tool", tool_call_id, content}.
 */
import type { Message } from "../types/messages";

export type OpenAIChatMessage =
  | { role: "system" | "user"; content: string }
  | {
      role: "assistant";
      content: string | null;
      tool_calls?: { id: string; type: "function"; function: { name: string; arguments: string } }[];
    }
  | { role: "tool"; tool_call_id: string; content: string };

export function toOpenAIChatMessages(messages: readonly Message[]): OpenAIChatMessage[] {
  return messages.map((m): OpenAIChatMessage => {
    if (m.role === "user") return { role: "user", content: m.content };
    if (m.role === "tool") return { role: "tool", tool_call_id: m.tool_call_id, content: m.content };
    const calls = m.tool_calls?.map((c) => ({
      id: c.id,
      type: "function" as const,
      function: { name: c.name, arguments: typeof c.arguments === "string" ? c.arguments : JSON.stringify(c.arguments) },
    }));
    return { role: "assistant", content: m.content, ...(calls?.length ? { tool_calls: calls } : {}) };
  });
}
