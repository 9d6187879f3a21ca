/**
 * lib/reward-serving/hermes.ts on text rendered exactly as the Qwen2.5 and Qwen3 chat templates
 * render it (tests/qwen-template.ts, a statement-by-statement transcription of the Jinja
 * source): a pinned rendering of a small conversation, then every simulated rollout of a
 * fixture round-tripped (messages → template text → messages) with roles, texts, calls,
 * tool results and tool-error flags intact.
 */
import { describe, expect, it } from "vitest";
import { AIRLINE_TOOL_SCHEMAS } from "../lib/airline";
import { parseHermesText } from "../lib/reward-serving/hermes";
import type { Message } from "../lib/types/messages";
import { fixtureRollouts } from "./calibration-fixtures";
import { renderQwen25, renderQwen3, toTemplateMessages, type TemplateMessage } from "./qwen-template";

const SMALL: TemplateMessage[] = [
  { role: "system", content: "You are an airline agent." },
  { role: "assistant", content: "Hi! How can I help you today?" },
  { role: "user", content: "Cancel reservation ABC123, I am mia_li_3668." },
  { role: "assistant", content: "", tool_calls: [{ type: "function", function: { name: "get_reservation_details", arguments: { reservation_id: "ABC123" } } }] },
  { role: "tool", content: '{"reservation_id": "ABC123", "status": "active"}' },
  {
    role: "assistant",
    content: "Checking both.",
    tool_calls: [
      { type: "function", function: { name: "get_user_details", arguments: { user_id: "mia_li_3668" } } },
      { type: "function", function: { name: "cancel_reservation", arguments: { reservation_id: "ABC123" } } },
    ],
  },
  { role: "tool", content: '{"user_id": "mia_li_3668"}' },
  { role: "tool", content: "Error: reservation ABC123 cannot be cancelled" },
  { role: "assistant", content: "It cannot be cancelled, sorry." },
  { role: "user", content: "ok ###STOP###" },
];

/** What Qwen2.5's template gives for SMALL without tools (hand-checked against the Jinja source). */
const SMALL_QWEN25 =
  "<|im_start|>system\nYou are an airline agent.<|im_end|>\n" +
  "<|im_start|>assistant\nHi! How can I help you today?<|im_end|>\n" +
  "<|im_start|>user\nCancel reservation ABC123, I am mia_li_3668.<|im_end|>\n" +
  '<|im_start|>assistant\n<tool_call>\n{"name": "get_reservation_details", "arguments": {"reservation_id": "ABC123"}}\n</tool_call><|im_end|>\n' +
  '<|im_start|>user\n<tool_response>\n{"reservation_id": "ABC123", "status": "active"}\n</tool_response><|im_end|>\n' +
  '<|im_start|>assistant\nChecking both.\n<tool_call>\n{"name": "get_user_details", "arguments": {"user_id": "mia_li_3668"}}\n</tool_call>\n<tool_call>\n{"name": "cancel_reservation", "arguments": {"reservation_id": "ABC123"}}\n</tool_call><|im_end|>\n' +
  '<|im_start|>user\n<tool_response>\n{"user_id": "mia_li_3668"}\n</tool_response>\n<tool_response>\nError: reservation ABC123 cannot be cancelled\n</tool_response><|im_end|>\n' +
  "<|im_start|>assistant\nIt cannot be cancelled, sorry.<|im_end|>\n" +
  "<|im_start|>user\nok ###STOP###<|im_end|>\n";

/** Messages compared by what scoring reads (ids are synthesized by the parser, usage is not in text). */
function essence(messages: readonly Message[]) {
  const callIndex = new Map<string, number>();
  let n = 0;
  return messages.map((m) => {
    if (m.role === "assistant") {
      for (const c of m.tool_calls ?? []) callIndex.set(c.id, n++);
      return { role: "assistant", content: m.content?.trim() || null, calls: (m.tool_calls ?? []).map((c) => ({ name: c.name, arguments: c.arguments })) };
    }
    if (m.role === "tool") return { role: "tool", call: callIndex.get(m.tool_call_id), content: m.content.trim(), error: m.error };
    return { role: "user", content: m.content.trim() };
  });
}

describe("parseHermesText", () => {
  it("reads the pinned Qwen2.5 rendering back into messages", () => {
    const text = renderQwen25(SMALL);
    expect(text).toBe(SMALL_QWEN25);
    const messages = parseHermesText(text);
    expect(essence(messages)).toEqual([
      { role: "assistant", content: "Hi! How can I help you today?", calls: [] },
      { role: "user", content: "Cancel reservation ABC123, I am mia_li_3668." },
      { role: "assistant", content: null, calls: [{ name: "get_reservation_details", arguments: { reservation_id: "ABC123" } }] },
      { role: "tool", call: 0, content: '{"reservation_id": "ABC123", "status": "active"}', error: false },
      {
        role: "assistant",
        content: "Checking both.",
        calls: [
          { name: "get_user_details", arguments: { user_id: "mia_li_3668" } },
          { name: "cancel_reservation", arguments: { reservation_id: "ABC123" } },
        ],
      },
      { role: "tool", call: 1, content: '{"user_id": "mia_li_3668"}', error: false },
      { role: "tool", call: 2, content: "Error: reservation ABC123 cannot be cancelled", error: true },
      { role: "assistant", content: "It cannot be cancelled, sorry.", calls: [] },
      { role: "user", content: "ok ###STOP###" },
    ]);
  });

  it("drops Qwen3's think blocks (empty and with reasoning) and keeps the answer", () => {
    const withReasoning: TemplateMessage[] = [...SMALL.slice(0, 8), { role: "assistant", content: "<think>\nThe tool failed.\n</think>\n\nIt cannot be cancelled, sorry." }];
    const text = renderQwen3(withReasoning, { tools: AIRLINE_TOOL_SCHEMAS });
    expect(text).toContain("<think>\nThe tool failed.\n</think>\n\nIt cannot be cancelled, sorry.<|im_end|>");
    const messages = parseHermesText(text);
    expect(essence(messages).at(-1)).toEqual({ role: "assistant", content: "It cannot be cancelled, sorry.", calls: [] });
    expect(JSON.stringify(messages)).not.toContain("think");
  });

  it("keeps a call whose arguments are not JSON, as a raw string (scored as an error turn)", () => {
    const text = SMALL_QWEN25.replace('{"reservation_id": "ABC123"}}\n</tool_call><|im_end|>\n<|im_start|>user\n<tool_response>\n{"reservation', '{"reservation_id": ABC123}}\n</tool_call><|im_end|>\n<|im_start|>user\n<tool_response>\n{"reservation');
    const call = parseHermesText(text).find((m) => m.role === "assistant" && m.tool_calls?.length);
    expect(call?.role === "assistant" && call.tool_calls![0].name).toBe("get_reservation_details");
    expect(call?.role === "assistant" && typeof call.tool_calls![0].arguments).toBe("string");
  });

  it("reads a bare response (slime / verl) when told it starts inside the assistant turn", () => {
    const full = renderQwen25(SMALL);
    const cut = full.indexOf("<|im_start|>assistant\n<tool_call>") + "<|im_start|>assistant\n".length;
    const response = full.slice(cut);
    const messages = parseHermesText(response, { firstRole: "assistant" });
    expect(essence(messages)).toEqual(essence(parseHermesText(full)).slice(2));
  });

  for (const [name, render] of [
    ["Qwen2.5", (m: TemplateMessage[]) => renderQwen25(m, { tools: AIRLINE_TOOL_SCHEMAS })],
    ["Qwen3", (m: TemplateMessage[]) => renderQwen3(m, { tools: AIRLINE_TOOL_SCHEMAS })],
  ] as const) {
    it(`round-trips every simulated rollout through the ${name} template`, async () => {
      const { rollouts } = await fixtureRollouts(3);
      let calls = 0;
      let errors = 0;
      for (const r of rollouts) {
        const text = render(toTemplateMessages(r.messages, "You are an airline customer service agent."));
        const parsed = parseHermesText(text, { idPrefix: r.rollout_id });
        expect(essence(parsed)).toEqual(essence(r.messages));
        for (const m of r.messages) {
          if (m.role === "assistant") calls += m.tool_calls?.length ?? 0;
          if (m.role === "tool" && m.error) errors++;
        }
      }
      expect(calls).toBeGreaterThan(100);
      expect(errors).toBeGreaterThan(0);
    });
  }
});
