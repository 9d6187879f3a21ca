/**
 * Chat-template text (Hermes / Qwen2.5 / Qwen3, the ChatML family) back to the project's
 * messages, for trainers that send text instead of messages: OpenRLHF's `query` (decoded
 * with special tokens), slime's `prompt` + `response`, verl's `solution_str` (decoded without
 * them). The parsing itself is the ingestion adapters' (lib/ingest/adapters/chat-text.ts), so
 * a trajectory scored here and the same trajectory ingested from a dump read identically;
 * this module fixes the conventions of the scoring shims on top of it.
 *
 * How the Qwen templates render a conversation (tokenizer_config.json `chat_template` of
 * Qwen2.5-*-Instruct and Qwen3-*; checked against copies of both templates):
 *   <|im_start|>system\n{system}\n\n# Tools …<tools>…</tools>…<|im_end|>\n
 *   <|im_start|>user\n{text}<|im_end|>\n
 *   <|im_start|>assistant\n{content}\n<tool_call>\n{"name": "…", "arguments": {…}}\n</tool_call><|im_end|>\n
 *   <|im_start|>user\n<tool_response>\n{result}\n</tool_response>\n<tool_response>…</tool_response><|im_end|>\n
 * (Qwen2.5 writes "\n<tool_call>" after the content even when it is empty; Qwen3 writes the
 * newline only between content and call, and may wrap reasoning in <think>…</think>.)
 * Arguments are `tojson` = Python json.dumps with ", " / ": " separators.
 */
import { parseChatText, type ChatRole } from "../ingest/adapters/chat-text";
import type { Message } from "../types/messages";

export interface HermesParseOptions {
  /**
   * Role of any text before the first `<|im_start|>` header: "assistant" for a bare response
   * (slime's `response`, verl's `solution_str`: the prompt ended with `<|im_start|>assistant\n`),
   * null for a full conversation.
   */
  firstRole?: ChatRole | null;
  /** Prefix of the synthesized tool-call ids (the text carries none). */
  idPrefix?: string;
}

/** Messages of chat-template text; system turns are dropped (the policy is not part of a trajectory). */
export function parseHermesText(text: string, opts: HermesParseOptions = {}): Message[] {
  return parseChatText(text, { firstRole: opts.firstRole ?? null, idPrefix: opts.idPrefix ?? "call" }).messages;
}
