import { describe, expect, it } from "vitest";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { AIRLINE_TOOL_SCHEMAS } from "../../airline";
import { chatRequestJson } from "./request-body";

/** The body the driver used to hand the SDK (which JSON.stringify'd it). */
function sdkBody(model: string, messages: ChatCompletionMessageParam[], temperature?: number, maxTokens?: Record<string, number>, tools?: typeof AIRLINE_TOOL_SCHEMAS) {
  return JSON.stringify({
    model,
    messages,
    ...(temperature !== undefined ? { temperature } : {}),
    ...(maxTokens ?? {}),
    ...(tools && tools.length > 0 ? { tools: tools.map((t) => ({ ...t })), tool_choice: "auto" as const } : {}),
  });
}

describe("chatRequestJson", () => {
  const system: ChatCompletionMessageParam = { role: "system", content: 'Policy with "quotes"\n\tand é' };
  const history: ChatCompletionMessageParam[] = [
    system,
    { role: "assistant", content: "Hi" },
    { role: "user", content: "Book it" },
    { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "get_user_details", arguments: '{"user_id":"u"}' } }] },
    { role: "tool", tool_call_id: "c1", content: '{"user_id":"u"}' },
  ];
  it("is byte-identical to JSON.stringify of the SDK body, cached parts included", () => {
    for (let i = 0; i < 2; i++) {
      expect(chatRequestJson({ model: "m", messages: history, temperature: 0, tools: AIRLINE_TOOL_SCHEMAS })).toBe(sdkBody("m", history, 0, undefined, AIRLINE_TOOL_SCHEMAS));
      expect(chatRequestJson({ model: "m", messages: history, temperature: 0.7, maxTokens: { max_tokens: 64 } })).toBe(sdkBody("m", history, 0.7, { max_tokens: 64 }));
      expect(chatRequestJson({ model: "gpt", messages: history, maxTokens: { max_completion_tokens: 5 }, tools: [] })).toBe(sdkBody("gpt", history, undefined, { max_completion_tokens: 5 }, []));
    }
  });
  it("does not reuse a cached system message for one with other keys or key order", () => {
    chatRequestJson({ model: "m", messages: [system] });
    const named = { role: "system", content: system.content, name: "x" } as ChatCompletionMessageParam;
    const reordered = { content: system.content, role: "system" } as ChatCompletionMessageParam;
    expect(chatRequestJson({ model: "m", messages: [named] })).toBe(sdkBody("m", [named]));
    expect(chatRequestJson({ model: "m", messages: [reordered] })).toBe(sdkBody("m", [reordered]));
  });
});
