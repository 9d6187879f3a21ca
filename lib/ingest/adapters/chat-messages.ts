/**
 * OpenAI-style message dicts (as verifiers and TRL serialise them) → the project's messages.
 * Accepts both call shapes, `{id, name, arguments}` (verifiers) and `{id, type, function: {name,
 * arguments}}` (OpenAI / TRL), arguments as an object or a JSON string; content as a string or a
 * list of `{type: "text", text}` parts. Tool results without `tool_call_id` (TRL writes
 * `{"role": "tool", "name", "content"}`) are paired with the pending calls in order; calls
 * without ids get `<idPrefix>-c<k>`. System messages are dropped (returned separately).
 */
import type { Message, ToolCall } from "../../types/messages";
import { normalizeArguments } from "../../interchange/tau2-format";

export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((p) => (p && typeof p === "object" && typeof (p as { text?: unknown }).text === "string" ? (p as { text: string }).text : ""))
      .join("");
  }
  return content === null || content === undefined ? "" : String(content);
}

const asRecord = (v: unknown): Record<string, unknown> | null =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

export interface NormalizedMessages {
  messages: Message[];
  system: string | null;
}

/** Throws an Error naming the index of a message that is not a message. */
export function normalizeChatMessages(raw: readonly unknown[], idPrefix: string): NormalizedMessages {
  const messages: Message[] = [];
  const systems: string[] = [];
  let pending: string[] = [];
  let seq = 0;
  raw.forEach((item, i) => {
    const m = asRecord(item);
    const role = m?.role;
    if (!m || typeof role !== "string") throw new Error(`message ${i} has no role`);
    if (role === "system" || role === "developer") {
      systems.push(contentText(m.content));
    } else if (role === "assistant") {
      const calls: ToolCall[] = [];
      for (const c of Array.isArray(m.tool_calls) ? m.tool_calls : []) {
        const call = asRecord(c);
        if (!call) continue;
        const fn = asRecord(call.function) ?? call;
        calls.push({
          id: typeof call.id === "string" && call.id ? call.id : `${idPrefix}-c${seq++}`,
          name: typeof fn.name === "string" ? fn.name : "",
          arguments: normalizeArguments(fn.arguments),
        });
      }
      pending = calls.map((c) => c.id);
      const text = m.content === null || m.content === undefined ? null : contentText(m.content);
      messages.push({ role: "assistant", content: text === "" && calls.length ? null : text, ...(calls.length ? { tool_calls: calls } : {}) });
    } else if (role === "tool" || role === "function" || role === "ipython") {
      const given = typeof m.tool_call_id === "string" && m.tool_call_id ? m.tool_call_id : null;
      const id = given ?? pending[0] ?? `${idPrefix}-orphan${seq++}`;
      pending = pending.filter((p) => p !== id);
      const content = contentText(m.content);
      messages.push({ role: "tool", tool_call_id: id, content, error: m.error === true || content.startsWith("Error:") });
    } else if (role === "user") {
      messages.push({ role: "user", content: contentText(m.content) });
    } else {
      throw new Error(`message ${i} has unknown role "${role}"`);
    }
  });
  return { messages, system: systems.length ? systems.join("\n\n") : null };
}
