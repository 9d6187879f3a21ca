import { describe, expect, it } from "vitest";
import type { Message } from "../../lib/types/messages";
import { MIN_SPLIT_LENGTH, messageBody, restoreMessage, splitMessage } from "./message-body";

describe("stored message bodies", () => {
  const big = JSON.stringify(Array.from({ length: 60 }, (_, i) => ({ flight_number: `HAT${i}`, note: 'quote " backslash \\ é \u2028' })));
  const cases: Message[] = [
    { role: "tool", tool_call_id: "c1", content: big, error: false },
    { role: "tool", tool_call_id: 'odd "id"', content: "Error: nope", error: true },
    { role: "tool", tool_call_id: "c2", content: big.slice(0, 700), error: true },
    { role: "user", content: "hi" },
    { role: "assistant", content: null, tool_calls: [{ id: "a", name: "f", arguments: { x: 1 } }] },
  ];

  it("inline bodies are JSON.stringify(message) and read back as the message", () => {
    for (const m of cases) {
      expect(messageBody(m)).toBe(JSON.stringify(m));
      expect(restoreMessage(messageBody(m), null, null)).toEqual(m);
    }
  });

  it("splits only large contents of the runner's tool shape, and restores the same object (same key order)", () => {
    for (const m of cases) {
      const split = splitMessage(m);
      const large = m.role === "tool" && typeof m.content === "string" && m.content.length >= MIN_SPLIT_LENGTH;
      expect(split !== null, JSON.stringify(m).slice(0, 40)).toBe(large);
      if (!split) continue;
      expect(split.body).not.toContain("content");
      expect(split.content).toBe((m as { content: string }).content);
      const back = restoreMessage(split.body, 7, split.content);
      expect(JSON.stringify(back)).toBe(JSON.stringify(m));
    }
  });

  it("keeps other shapes whole: another key order, extra keys", () => {
    const reordered = { tool_call_id: "c1", role: "tool", content: big, error: false } as unknown as Message;
    const extra = { role: "tool", tool_call_id: "c1", content: big, error: false, latency_ms: 3 } as unknown as Message;
    expect(splitMessage(reordered)).toBeNull();
    expect(splitMessage(extra)).toBeNull();
  });
});
