/**
 * One chat.completions response → what we record. Lenient by design, because
 * OpenAI-compatible servers differ (docs/external-formats.md §4):
 * - tool calls come from `message.tool_calls`, never from finish_reason;
 * - all parallel calls are kept, in order; unknown tool names are kept (the env answers with an error);
 * - `arguments` that is not a JSON object stays a raw string (the runner turns the call into an error);
 *   an empty string means "no arguments" ({}); an object (Ollama native style) is taken as is;
 * - missing call ids get a random 9-char [a-zA-Z0-9] id;
 * - reasoning may sit in `reasoning`, `reasoning_content` or inline `<think>…</think>`; it is split off the content;
 * - vLLM/SGLang return `<tool_call>{json}</tool_call>` text in `content` with no `tool_calls` when their
 *   parser fails: such blocks are parsed into calls and removed from the content;
 * - `usage` and its sub-objects are optional.
 */
import { randomBytes } from "node:crypto";
import type { ToolCall, Usage } from "../../types/messages";
import { BadResponseError } from "./retry";

export interface ParsedReply {
  content: string | null;
  tool_calls: ToolCall[];
  usage?: Usage;
  reasoning?: string;
  finish_reason?: string;
  model?: string;
}

const ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
export function randomCallId(): string {
  const bytes = randomBytes(9);
  let id = "";
  for (const b of bytes) id += ALNUM[b % ALNUM.length];
  return id;
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export function parseArguments(raw: unknown): ToolCall["arguments"] {
  const obj = asRecord(raw);
  if (obj) return obj;
  if (typeof raw !== "string") return raw === undefined || raw === null ? {} : JSON.stringify(raw);
  if (raw.trim() === "") return {};
  try {
    const parsed = asRecord(JSON.parse(raw));
    return parsed ?? raw;
  } catch {
    return raw;
  }
}

function numberOr0(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : 0;
}

function parseUsage(raw: unknown): Usage | undefined {
  const u = asRecord(raw);
  if (!u) return undefined;
  return { prompt_tokens: numberOr0(u.prompt_tokens), completion_tokens: numberOr0(u.completion_tokens) };
}

function parseWireToolCall(raw: unknown): ToolCall | undefined {
  const tc = asRecord(raw);
  if (!tc) return undefined;
  const fn = asRecord(tc.function) ?? asRecord(tc.custom);
  const name = fn?.name ?? tc.name;
  if (typeof name !== "string") return undefined;
  const args = fn ? (fn.arguments ?? fn.input) : tc.arguments;
  const id = typeof tc.id === "string" && tc.id !== "" ? tc.id : randomCallId();
  return { id, name, arguments: parseArguments(args) };
}

const TOOL_CALL_BLOCK = /<tool_call>([\s\S]*?)(?:<\/tool_call>|$)/g;

/** Hermes-style `<tool_call>{"name": …, "arguments": …}</tool_call>` blocks left in the text by a failed server-side parser. */
export function extractTextToolCalls(content: string): { calls: ToolCall[]; rest: string } {
  const calls: ToolCall[] = [];
  const rest = content.replace(TOOL_CALL_BLOCK, (whole: string, body: string) => {
    const text = body.trim();
    let parsed: Record<string, unknown> | undefined;
    try {
      parsed = asRecord(JSON.parse(text));
    } catch {
      parsed = undefined;
    }
    if (parsed && typeof parsed.name === "string") {
      calls.push({ id: randomCallId(), name: parsed.name, arguments: parseArguments(parsed.arguments ?? parsed.parameters) });
      return "";
    }
    // Broken JSON: still a call when a name can be read; its arguments stay raw (an error call downstream).
    const name = /"name"\s*:\s*"([^"]+)"/.exec(text)?.[1];
    if (!name) return whole;
    const argsAt = text.search(/"(?:arguments|parameters)"\s*:/);
    const rawArgs = argsAt >= 0 ? text.slice(text.indexOf(":", argsAt) + 1).replace(/}\s*$/, "").trim() : text;
    calls.push({ id: randomCallId(), name, arguments: rawArgs });
    return "";
  });
  return { calls, rest };
}

const THINK_BLOCK = /<think>([\s\S]*?)<\/think>/g;

export function parseCompletion(response: unknown): ParsedReply {
  const body = asRecord(response);
  const choices = body?.choices;
  if (!Array.isArray(choices) || choices.length === 0) throw new BadResponseError("response has no choices");
  const choice = asRecord(choices[0]);
  const message = asRecord(choice?.message);
  if (!message) throw new BadResponseError("response choice has no message");

  const reasoningParts: string[] = [];
  for (const key of ["reasoning", "reasoning_content"] as const) {
    const v = message[key];
    if (typeof v === "string" && v.trim()) reasoningParts.push(v);
  }
  let content = typeof message.content === "string" ? message.content : null;
  if (content !== null && content.includes("<think>")) {
    content = content.replace(THINK_BLOCK, (_w, inner: string) => {
      reasoningParts.push(inner.trim());
      return "";
    });
    content = content.trim();
  }

  const wireCalls = Array.isArray(message.tool_calls) ? message.tool_calls : [];
  let toolCalls = wireCalls.map(parseWireToolCall).filter((c): c is ToolCall => c !== undefined);
  if (toolCalls.length === 0 && content !== null && content.includes("<tool_call>")) {
    const { calls, rest } = extractTextToolCalls(content);
    if (calls.length > 0) {
      toolCalls = calls;
      content = rest.trim() === "" ? null : rest.trim();
    }
  }

  return {
    content,
    tool_calls: toolCalls,
    usage: parseUsage(body?.usage),
    reasoning: reasoningParts.length > 0 ? reasoningParts.join("\n") : undefined,
    finish_reason: typeof choice?.finish_reason === "string" ? choice.finish_reason : undefined,
    model: typeof body?.model === "string" ? body.model : undefined,
  };
}
