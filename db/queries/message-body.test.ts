import { describe, expect, it } from "vitest";
import type { Message } from "../../lib/types/messages";
import { messageBody } from "./message-body";

describe("messageBody", () => {
  const big = JSON.stringify(Array.from({ length: 60 }, (_, i) => ({ flight_number: `HAT${i}`, note: 'quote " backslash \\ é \u2028' })));
  const cases: Message[] = [
    { role: "tool", tool_call_id: "c1", content: big, error: false },
    { role: "tool", tool_call_id: "c1", content: big, error: false }, // the memoised literal
    { role: "tool", tool_call_id: 'odd "id"', content: "Error: nope", error: true },
    { role: "tool", tool_call_id: "c2", content: big.slice(0, 700), error: true },
    { role: "user", content: "hi" },
    { role: "assistant", content: null, tool_calls: [{ id: "a", name: "f", arguments: { x: 1 } }] },
  ];
  it("is JSON.stringify(message) for every shape", () => {
    for (const m of cases) expect(messageBody(m)).toBe(JSON.stringify(m));
  });
  it("falls back to JSON.stringify for tool messages of another key order or with extra keys", () => {
    const reordered = { tool_call_id: "c1", role: "tool", content: big, error: false } as unknown as Message;
    const extra = { role: "tool", tool_call_id: "c1", content: big, error: false, latency_ms: 3 } as unknown as Message;
    expect(messageBody(reordered)).toBe(JSON.stringify(reordered));
    expect(messageBody(extra)).toBe(JSON.stringify(extra));
  });
});
