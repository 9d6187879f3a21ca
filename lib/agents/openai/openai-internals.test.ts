import { describe, expect, it } from "vitest";
import { APIConnectionTimeoutError, APIError } from "openai";
import type { Task } from "../../types/task";
import { parseCompletion } from "./parse-reply";
import { buildUserSystemPrompt, renderUserScenario } from "./prompts";
import { redactSecret } from "./redact";
import { backoffDelay, classifyError } from "./retry";
import { toUserWireMessages } from "./wire";
import { WRIT_USER_GUIDELINES } from "./user-guidelines";

describe("redactSecret", () => {
  const key = "sk-proj-ABCDEFGH12345678zyxw";
  it("masks the key, partial echoes, bearer tokens and sk- tokens", () => {
    const out = redactSecret(`key ${key}; echoed sk-proj-ABCD****zyxw; header Bearer abc.def; other ${key.slice(0, 10)}…`, key);
    expect(out).not.toContain("ABCDEFGH");
    expect(out).not.toContain("abc.def");
    expect(out).not.toContain("sk-proj");
    expect(out).toContain("[redacted]");
  });
  it("masks a key without the sk- prefix, leaves ordinary text alone", () => {
    const k = "local-token-1234567890";
    expect(redactSecret(`failed with ${k} at host`, k)).toBe("failed with [redacted] at host");
    expect(redactSecret("plain message", k)).toBe("plain message");
  });
});

describe("retry policy", () => {
  it("classifies 429/5xx/timeouts as retryable and other 4xx not", () => {
    expect(classifyError(APIError.generate(429, { error: { message: "slow" } }, undefined, new Headers({ "retry-after": "2" })))).toMatchObject({ kind: "rate_limit", retryable: true, retryAfterMs: 2000 });
    expect(classifyError(APIError.generate(503, undefined, "x", new Headers()))).toMatchObject({ kind: "server", retryable: true });
    expect(classifyError(APIError.generate(400, undefined, "bad", new Headers()))).toMatchObject({ kind: "client", retryable: false });
    expect(classifyError(APIError.generate(404, undefined, "no model", new Headers()))).toMatchObject({ retryable: false });
    expect(classifyError(new APIConnectionTimeoutError())).toMatchObject({ kind: "timeout", retryable: true });
    expect(classifyError(new Error("weird"))).toMatchObject({ kind: "other", retryable: false });
  });
  it("backs off exponentially with jitter inside [step/2, step], capped, honouring Retry-After", () => {
    const p = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(0, { ...p, random: () => 0 })).toBe(50);
    expect(backoffDelay(0, { ...p, random: () => 1 })).toBe(100);
    expect(backoffDelay(2, { ...p, random: () => 0.5 })).toBe(300);
    expect(backoffDelay(10, { ...p, random: () => 1 })).toBe(1000);
    expect(backoffDelay(0, { ...p, random: () => 0 }, 700)).toBe(700);
  });
});

describe("parseCompletion edge cases", () => {
  const wrap = (message: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ choices: [{ index: 0, message, finish_reason: "stop" }], ...extra });
  it("accepts object arguments (Ollama native style), custom tool calls and non-object JSON as raw", () => {
    const r = parseCompletion(
      wrap({
        content: null,
        tool_calls: [
          { id: "a", type: "function", function: { name: "f", arguments: { x: 1 } } },
          { id: "b", type: "custom", custom: { name: "g", input: "{\"y\":2}" } },
          { id: "c", type: "function", function: { name: "h", arguments: "[1,2]" } },
        ],
      }),
    );
    expect(r.tool_calls).toEqual([
      { id: "a", name: "f", arguments: { x: 1 } },
      { id: "b", name: "g", arguments: { y: 2 } },
      { id: "c", name: "h", arguments: "[1,2]" },
    ]);
  });
  it("takes reasoning from `reasoning` and leaves plain text alone", () => {
    const r = parseCompletion(wrap({ content: "Hello", reasoning: "hmm" }));
    expect(r).toMatchObject({ content: "Hello", reasoning: "hmm", tool_calls: [] });
    expect(r.usage).toBeUndefined();
  });
  it("throws on a body without choices", () => {
    expect(() => parseCompletion({ object: "error" })).toThrow(/no choices/);
  });
});

describe("user prompt", () => {
  it("renders persona and string instructions like τ²'s str(user_scenario)", () => {
    const s: Task["user_scenario"] = { persona: "Calm\nretiree", instructions: "Line one\nLine two" };
    expect(renderUserScenario(s)).toBe("Persona:\n\tCalm\n\tretiree\nInstructions:\n\tLine one\n\tLine two");
  });
  it("puts the project's own guidelines before the scenario", () => {
    const task: Task = { id: "1", user_scenario: { instructions: { reason_for_call: "Refund." } } };
    const p = buildUserSystemPrompt(WRIT_USER_GUIDELINES, task);
    expect(p.startsWith(WRIT_USER_GUIDELINES + "\n\n<scenario>\n")).toBe(true);
    expect(p.endsWith("Instructions:\n\tDomain: \n\tReason for call:\n\t\tRefund.\n</scenario>")).toBe(true);
    for (const token of ["###STOP###", "###TRANSFER###", "###OUT-OF-SCOPE###"]) expect(WRIT_USER_GUIDELINES).toContain(token);
  });
  it("role-flips and hides tool traffic and failed turns", () => {
    const wire = toUserWireMessages("SYS", [
      { role: "assistant", content: "Hi" },
      { role: "user", content: "Help" },
      { role: "assistant", content: "looking", tool_calls: [{ id: "1", name: "x", arguments: {} }] },
      { role: "tool", tool_call_id: "1", content: "{}", error: false },
      { role: "assistant", content: null, error: "timeout" },
      { role: "assistant", content: "Found it" },
    ]);
    expect(wire).toEqual([
      { role: "system", content: "SYS" },
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Help" },
      { role: "user", content: "Found it" },
    ]);
  });
});
