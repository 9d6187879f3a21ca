/**
 * The chat.completions request body as JSON text: the same bytes as the SDK's
 * JSON.stringify of `{model, messages, temperature?, max_tokens? | max_completion_tokens?,
 * tools?, tool_choice?}`, but the parts every call of an episode repeats verbatim (the
 * system message, ~5 KB of policy; the tool schemas, ~9 KB) are serialised once and
 * reused. At C = 64 conversations that re-serialisation was a visible share of a call's
 * client CPU.
 */
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { createCache } from "../../cache/lru";
import type { ToolSchema } from "../types";

export interface ChatRequest {
  model: string;
  messages: readonly ChatCompletionMessageParam[];
  temperature?: number;
  /** `{max_tokens: n}` or `{max_completion_tokens: n}` (see client.ts). */
  maxTokens?: Record<string, number>;
  tools?: readonly ToolSchema[];
}

/**
 * Tool lists are long-lived (AIRLINE_TOOL_SCHEMAS, a driver's own list): keyed by identity, so a
 * WeakMap (an entry goes with its list) rather than a string-keyed cache.
 */
const toolsJson = new WeakMap<readonly ToolSchema[], string>();

/** System messages by their text; a handful of distinct prompts per process (policy, per-task user scenarios). */
const systemJson = createCache<string>({
  name: "agents.openai-system-json",
  maxEntries: 256,
  purpose: "serialised system messages by text (policy, per-task user scenarios), sent verbatim on every model call",
});

function toolsText(tools: readonly ToolSchema[]): string {
  let text = toolsJson.get(tools);
  if (text === undefined) {
    text = JSON.stringify(tools);
    toolsJson.set(tools, text);
  }
  return text;
}

function messageText(m: ChatCompletionMessageParam): string {
  // Only a system message of exactly {role, content: string}, in that key order, is cached: its text is the key.
  if (m.role !== "system" || typeof m.content !== "string") return JSON.stringify(m);
  const keys = Object.keys(m);
  if (keys.length !== 2 || keys[0] !== "role" || keys[1] !== "content") return JSON.stringify(m);
  let text = systemJson.get(m.content);
  if (text === undefined) {
    text = JSON.stringify(m);
    systemJson.set(m.content, text);
  }
  return text;
}

export function chatRequestJson(req: ChatRequest): string {
  let out = `{"model":${JSON.stringify(req.model)},"messages":[`;
  for (let i = 0; i < req.messages.length; i++) out += (i > 0 ? "," : "") + messageText(req.messages[i]);
  out += "]";
  if (req.temperature !== undefined) out += `,"temperature":${JSON.stringify(req.temperature)}`;
  if (req.maxTokens) for (const [k, v] of Object.entries(req.maxTokens)) out += `,${JSON.stringify(k)}:${JSON.stringify(v)}`;
  if (req.tools && req.tools.length > 0) out += `,"tools":${toolsText(req.tools)},"tool_choice":"auto"`;
  return out + "}";
}
