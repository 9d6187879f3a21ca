/**
 * Trajectory messages as trainers send them → the project's rollout message format
 * (lib/types/messages.ts). Hand-written instead of zod because a training step carries
 * tens of thousands of messages and this runs on every one of them; the first problem is
 * reported with its path (`trajectories.3.messages.12.tool_calls.0.name`).
 *
 * Accepted leniently, because trainers differ:
 *  - tool-call arguments as an object or as a JSON string (OpenAI's wire form); a string that
 *    is not JSON is kept as a string (the project's format for unparseable arguments);
 *  - tool calls in the project's `{id, name, arguments}` shape or OpenAI's
 *    `{id, type: "function", function: {name, arguments}}`;
 *  - `system` messages are dropped (the policy prompt is not part of a rollout);
 *  - tool message content that is not a string is stored as its JSON text.
 * Object keys of arguments are sorted, so the same call always serialises (and hashes) the same.
 */
import type { Message, ToolCall, Usage } from "../types/messages";

export class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = "FieldError";
  }
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A copy of a JSON value with object keys sorted at every level (stable serialisation). */
export function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) if (value[k] !== undefined) out[k] = sortedKeys(value[k]);
  return out;
}

function toolArguments(raw: unknown, field: string): ToolCall["arguments"] {
  if (raw === undefined || raw === null) return {};
  if (isRecord(raw)) return sortedKeys(raw) as Record<string, unknown>;
  if (typeof raw === "string") {
    if (!raw.trim()) return {};
    try {
      const parsed: unknown = JSON.parse(raw);
      if (isRecord(parsed)) return sortedKeys(parsed) as Record<string, unknown>;
    } catch {
      // Not JSON: kept verbatim (the call then fails in the environment, as it did for the model).
    }
    return raw;
  }
  throw new FieldError(field, "must be an object or a JSON string");
}

function toolCall(raw: unknown, field: string): ToolCall {
  if (!isRecord(raw)) throw new FieldError(field, "must be an object");
  const fn = isRecord(raw.function) ? raw.function : null;
  const name = fn ? fn.name : raw.name;
  if (typeof name !== "string" || !name) throw new FieldError(`${field}.name`, "must be a non-empty string");
  if (typeof raw.id !== "string" || !raw.id) throw new FieldError(`${field}.id`, "must be a non-empty string");
  return { id: raw.id, name, arguments: toolArguments(fn ? fn.arguments : raw.arguments, `${field}.arguments`) };
}

function usage(raw: unknown, field: string): Usage | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isRecord(raw)) throw new FieldError(field, "must be an object");
  const p = raw.prompt_tokens ?? 0;
  const c = raw.completion_tokens ?? 0;
  if (typeof p !== "number" || typeof c !== "number" || p < 0 || c < 0) throw new FieldError(field, "prompt_tokens and completion_tokens must be non-negative numbers");
  return { prompt_tokens: p, completion_tokens: c };
}

function text(raw: unknown, field: string, nullable: boolean): string | null {
  if (typeof raw === "string") return raw;
  if (raw === undefined || raw === null) {
    if (nullable) return null;
    throw new FieldError(field, "is required");
  }
  // Multi-part content ([{type: "text", text}]): the text parts joined.
  if (Array.isArray(raw) && raw.every((p) => isRecord(p) && typeof p.text === "string")) return raw.map((p) => (p as { text: string }).text).join("");
  throw new FieldError(field, "must be a string");
}

/** One message in the project's format, built with a fixed key order; null for a dropped system message. */
export function normalizeMessage(raw: unknown, field: string): Message | null {
  if (!isRecord(raw)) throw new FieldError(field, "must be an object");
  const role = raw.role;
  if (role === "system" || role === "developer") return null;
  if (role === "assistant") {
    const calls = raw.tool_calls;
    if (calls !== undefined && calls !== null && !Array.isArray(calls)) throw new FieldError(`${field}.tool_calls`, "must be an array");
    const m: Message = { role: "assistant", content: text(raw.content, `${field}.content`, true) };
    if (Array.isArray(calls) && calls.length) m.tool_calls = calls.map((c, i) => toolCall(c, `${field}.tool_calls.${i}`));
    const u = usage(raw.usage, `${field}.usage`);
    if (u) m.usage = u;
    if (typeof raw.error === "string") m.error = raw.error;
    return m;
  }
  if (role === "user") {
    const m: Message = { role: "user", content: text(raw.content, `${field}.content`, false) as string };
    const u = usage(raw.usage, `${field}.usage`);
    if (u) m.usage = u;
    return m;
  }
  if (role === "tool") {
    if (typeof raw.tool_call_id !== "string" || !raw.tool_call_id) throw new FieldError(`${field}.tool_call_id`, "must be a non-empty string");
    const content = typeof raw.content === "string" ? raw.content : raw.content === undefined || raw.content === null ? "" : JSON.stringify(raw.content);
    if (raw.error !== undefined && typeof raw.error !== "boolean") throw new FieldError(`${field}.error`, "must be a boolean");
    return { role: "tool", tool_call_id: raw.tool_call_id, content, error: raw.error === true };
  }
  throw new FieldError(`${field}.role`, `must be "assistant", "user", "tool" or "system" (got ${JSON.stringify(role)})`);
}

export function normalizeMessages(raw: unknown, field: string): Message[] {
  if (!Array.isArray(raw)) throw new FieldError(field, "must be an array of messages");
  const out: Message[] = [];
  for (let i = 0; i < raw.length; i++) {
    const m = normalizeMessage(raw[i], `${field}.${i}`);
    if (m) out.push(m);
  }
  if (out.length === 0) throw new FieldError(field, "holds no assistant, user or tool message");
  return out;
}
