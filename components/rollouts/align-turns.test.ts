import { describe, expect, it } from "vitest";
import type { Message } from "@/lib/types/messages";
import { alignTurns, clampSelection, formatJson, resultsByCallId, rowCount } from "./align-turns";

const conversation: Message[] = [
  { role: "assistant", content: "Hi! How can I help you today?" },
  { role: "user", content: "Cancel reservation ABC123." },
  { role: "assistant", content: null, tool_calls: [{ id: "c1", name: "get_reservation_details", arguments: { reservation_id: "ABC123" } }] },
  { role: "tool", tool_call_id: "c1", content: '{"status":null}', error: false },
  { role: "assistant", content: "Shall I cancel it? (yes/no)" },
  { role: "user", content: "yes" },
  { role: "assistant", content: null, tool_calls: [{ id: "c2", name: "cancel_reservation", arguments: { reservation_id: "ABC123" } }] },
  { role: "tool", tool_call_id: "c2", content: "Error: not allowed", error: true },
  { role: "assistant", content: "Done." },
  { role: "user", content: "###STOP###" },
];

describe("alignTurns", () => {
  it("puts the greeting and first user message in the opening and numbers agent turns from 1", () => {
    const rows = alignTurns(conversation);
    expect(rows.map((r) => r.k)).toEqual([0, 1, 2, 3, 4]);
    expect(rows[0].assistant?.content).toBe("Hi! How can I help you today?");
    expect(rows[0].userReplies.map((u) => u.content)).toEqual(["Cancel reservation ABC123."]);
    expect(rows[1].toolResults.map((t) => t.tool_call_id)).toEqual(["c1"]);
    expect(rows[2].userReplies.map((u) => u.content)).toEqual(["yes"]);
    expect(rows[3].messageIndex).toBe(6);
    expect(resultsByCallId(rows[3]).get("c2")?.error).toBe(true);
    expect(rows[4].userReplies[0].content).toBe("###STOP###");
  });

  it("treats a first assistant message that is not the greeting as turn 1", () => {
    const rows = alignTurns([
      { role: "user", content: "hello" },
      { role: "assistant", content: "How can I help?" },
    ]);
    expect(rows).toHaveLength(2);
    expect(rows[0].assistant).toBeNull();
    expect(rows[0].userReplies).toHaveLength(1);
    expect(rows[1].assistant?.content).toBe("How can I help?");
  });

  it("sizes the grid by the longest sibling", () => {
    expect(rowCount([alignTurns(conversation), alignTurns(conversation.slice(0, 4))])).toBe(5);
    expect(rowCount([])).toBe(1);
  });
});

describe("formatJson and clampSelection", () => {
  it("pretty-prints JSON strings and objects, and leaves other text alone", () => {
    expect(formatJson('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(formatJson({ b: [1] })).toBe('{\n  "b": [\n    1\n  ]\n}');
    expect(formatJson("{not json")).toBe("{not json");
    expect(formatJson("<script>alert(1)</script>")).toBe("<script>alert(1)</script>");
  });

  it("clamps a stale selection into the grid", () => {
    expect(clampSelection(99, 99, 5, 4)).toEqual({ turn: 4, sibling: 3 });
    expect(clampSelection(-3, NaN, 5, 4)).toEqual({ turn: 0, sibling: 0 });
    expect(clampSelection(2.7, 1, 5, 4)).toEqual({ turn: 2, sibling: 1 });
  });
});
