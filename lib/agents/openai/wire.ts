/**
 * Rollout messages → OpenAI chat.completions wire messages, for the agent (as is)
 * and for the user simulator (role-flipped, tools hidden), following τ²'s
 * serialisation (docs/external-formats.md §1, §4).
 */
import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import type { AssistantMessage, Message, ToolCall } from "../../types/messages";

/**
 * A deterministic id for a history call that has none: 9 characters of [a-zA-Z0-9]
 * because vLLM's Mistral mode rejects any other shape.
 */
export function synthesizeCallId(messageIndex: number, callIndex: number): string {
  return `c${messageIndex.toString(36).padStart(5, "0").slice(-5)}x${callIndex.toString(36).padStart(2, "0").slice(-2)}`;
}

/**
 * Arguments as the JSON string the wire wants. A raw string that is not JSON is
 * wrapped in an object: vLLM and SGLang json.loads history arguments before
 * templating and would reject every later request of the episode otherwise.
 */
export function serializeArguments(args: ToolCall["arguments"]): string {
  if (typeof args !== "string") return JSON.stringify(args);
  try {
    const parsed: unknown = JSON.parse(args);
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) return args;
  } catch {
    // fall through to the wrapper
  }
  return JSON.stringify({ invalid_arguments: args });
}

/** An assistant message that carries nothing the model said (a failed call) is left out of the prompt. */
function isEmptyErrorTurn(m: AssistantMessage): boolean {
  return m.error !== undefined && !m.content && !(m.tool_calls && m.tool_calls.length > 0);
}

export function toAgentWireMessages(systemPrompt: string, messages: readonly Message[]): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [{ role: "system", content: systemPrompt }];
  // Ids of the latest assistant calls not yet answered, to pair id-less tool results in order.
  let pending: string[] = [];
  messages.forEach((m, index) => {
    if (m.role === "user") {
      out.push({ role: "user", content: m.content });
    } else if (m.role === "assistant") {
      if (isEmptyErrorTurn(m)) return;
      const calls = m.tool_calls ?? [];
      if (calls.length === 0) {
        out.push({ role: "assistant", content: m.content ?? "" });
        pending = [];
        return;
      }
      const seen = new Set<string>();
      const wireCalls: ChatCompletionMessageFunctionToolCall[] = calls.map((c, k) => {
        const id = c.id && !seen.has(c.id) ? c.id : synthesizeCallId(index, k);
        seen.add(id);
        return { id, type: "function", function: { name: c.name, arguments: serializeArguments(c.arguments) } };
      });
      const msg: ChatCompletionAssistantMessageParam = { role: "assistant", content: m.content ?? null, tool_calls: wireCalls };
      out.push(msg);
      pending = wireCalls.map((c) => c.id);
    } else {
      let id = m.tool_call_id;
      const at = pending.indexOf(id);
      if (at >= 0) pending.splice(at, 1);
      else id = pending.shift() ?? id;
      out.push({ role: "tool", tool_call_id: id, content: m.content });
    }
  });
  return out;
}

/**
 * The user simulator's view: the agent's text becomes `user`, the simulator's own
 * turns `assistant`; agent tool-call messages, failed agent turns and tool results are hidden.
 */
export function toUserWireMessages(systemPrompt: string, messages: readonly Message[]): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [{ role: "system", content: systemPrompt }];
  for (const m of messages) {
    if (m.role === "assistant") {
      if (m.tool_calls && m.tool_calls.length > 0) continue;
      if (m.content == null || isEmptyErrorTurn(m)) continue;
      out.push({ role: "user", content: m.content });
    } else if (m.role === "user") {
      out.push({ role: "assistant", content: m.content });
    }
  }
  return out;
}
