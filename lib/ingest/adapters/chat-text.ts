/**
 * Flat chat text back to messages, as well as the text allows. verl dumps prompts and
 * responses as `tokenizer.batch_decode(..., skip_special_tokens=True)` and TRL logs plain-text
 * completions the same way, so a multi-turn rollout arrives as one string.
 *
 * What this understands (Hermes / Qwen2.5 / Qwen3 chat templates, the ones verl's and TRL's
 * tool loops use):
 * - role headers: `<|im_start|>role\n … <|im_end|>` when special tokens were kept, and the bare
 *   `\nrole\n` lines they leave behind when `<|im_start|>`/`<|im_end|>` were stripped;
 * - `<tool_call>{"name": …, "arguments": …}</tool_call>` blocks inside assistant text (these
 *   markers are added tokens but not special ones, so decoding keeps them);
 * - `<tool_response>…</tool_response>` blocks inside a user turn (Qwen's template puts tool
 *   results there) and `tool` role turns, paired with the pending calls in order;
 * - `<think>…</think>` reasoning, which is removed from assistant content (it is not said to the user).
 *
 * Limits (documented in the README): a line consisting of only `user`, `assistant`, `system` or
 * `tool` inside a message body is read as a role header; templates other than ChatML/Hermes
 * (Llama 3 `<|start_header_id|>`, Mistral `[INST]`) are not recognised and come back as a single
 * assistant message; calls get synthesized ids (`<prefix>-c<k>`), since the text carries none.
 */
import type { Message, ToolCall } from "../../types/messages";
import { normalizeArguments } from "../../interchange/tau2-format";

export type ChatRole = "system" | "user" | "assistant" | "tool";

export interface ChatTextResult {
  messages: Message[];
  /** The system prompt(s) found, joined; not part of the trajectory. */
  system: string | null;
}

const SPECIAL_TOKENS = /<\|im_start\|>|<\|im_end\|>|<\|endoftext\|>|<\|eot_id\|>/g;
const ROLE_HEADER = /(?:^|\n)(system|user|assistant|tool)[ \t]*\n/g;
const TOOL_CALL = /<tool_call>\s*([\s\S]*?)\s*<\/tool_call>/g;
const TOOL_RESPONSE = /<tool_response>\s*([\s\S]*?)\s*<\/tool_response>/g;
const THINK = /<think>[\s\S]*?<\/think>/g;

/** Split decoded chat text into (role, body) segments. Text before the first header gets `firstRole`. */
export function splitChatSegments(text: string, firstRole: ChatRole | null): { role: ChatRole; body: string }[] {
  // `<|im_start|>user` → `\nuser` so the header regex sees a line start; the other markers go.
  const clean = text.replace(/<\|im_start\|>/g, "\n").replace(SPECIAL_TOKENS, "");
  const segments: { role: ChatRole; body: string }[] = [];
  let role: ChatRole | null = firstRole;
  let pos = 0;
  for (const m of clean.matchAll(ROLE_HEADER)) {
    const body = clean.slice(pos, m.index);
    // Nothing before the first header is not a message.
    if (role !== null && !(segments.length === 0 && body.trim() === "")) segments.push({ role, body });
    role = m[1] as ChatRole;
    pos = m.index + m[0].length;
  }
  const tail = clean.slice(pos);
  // A prompt ends with the bare generation header `assistant\n`: that is not an (empty) message.
  if (role !== null && !(pos > 0 && tail.trim() === "")) segments.push({ role, body: tail });
  return segments.map((s) => ({ role: s.role, body: s.body.replace(/^\n+|\s+$/g, "") }));
}

function parseToolCall(raw: string, id: string): ToolCall {
  try {
    const json = JSON.parse(raw) as unknown;
    if (json && typeof json === "object" && !Array.isArray(json)) {
      const obj = json as Record<string, unknown>;
      const fn = (obj.function && typeof obj.function === "object" ? obj.function : obj) as Record<string, unknown>;
      if (typeof fn.name === "string") {
        return { id, name: fn.name, arguments: normalizeArguments(fn.arguments ?? fn.parameters ?? {}) };
      }
    }
  } catch {
    /* fall through: the model wrote something that is not JSON */
  }
  // Unparseable call: keep the raw text as arguments (the project counts such a call as an error).
  const name = /"name"\s*:\s*"([^"]*)"/.exec(raw)?.[1] ?? "";
  return { id, name, arguments: raw };
}

const isToolError = (content: string) => content.startsWith("Error:");

/**
 * Parse decoded chat text into messages. `firstRole` is the role of text before the first
 * header: "assistant" for a verl/TRL response (the prompt ended with the assistant header),
 * null for a full prompt that starts with its own header.
 */
export function parseChatText(text: string, opts: { firstRole: ChatRole | null; idPrefix: string }): ChatTextResult {
  const messages: Message[] = [];
  const systems: string[] = [];
  let callSeq = 0;
  let pending: string[] = [];
  const pushTool = (content: string) => {
    const body = content.trim();
    messages.push({ role: "tool", tool_call_id: pending.shift() ?? `${opts.idPrefix}-orphan${callSeq++}`, content: body, error: isToolError(body) });
  };
  for (const seg of splitChatSegments(text, opts.firstRole)) {
    if (seg.role === "system") {
      systems.push(seg.body);
    } else if (seg.role === "assistant") {
      const calls: ToolCall[] = [];
      const withoutThink = seg.body.replace(THINK, "");
      const content = withoutThink
        .replace(TOOL_CALL, (_m, raw: string) => {
          calls.push(parseToolCall(raw, `${opts.idPrefix}-c${callSeq++}`));
          return "";
        })
        .trim();
      pending = calls.map((c) => c.id);
      messages.push({ role: "assistant", content: content === "" ? null : content, ...(calls.length ? { tool_calls: calls } : {}) });
    } else if (seg.role === "tool") {
      pushTool(seg.body);
    } else {
      // A user turn: tool results (Qwen puts them in user turns) and/or what the user said.
      let found = false;
      const rest = seg.body.replace(TOOL_RESPONSE, (_m, body: string) => {
        found = true;
        pushTool(body);
        return "";
      });
      if (!found || rest.trim() !== "") messages.push({ role: "user", content: rest.trim() });
    }
  }
  return { messages, system: systems.length ? systems.join("\n\n") : null };
}
