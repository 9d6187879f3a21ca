/**
 * Splits a conversation into rows for the side-by-side view. Row 0 is the opening (τ²'s
 * fixed greeting and whatever the user says before the agent's first real turn); row k ≥ 1
 * is agent turn k: the assistant message, the results of its tool calls, and the user's
 * reply that follows. So turn k of every sibling lines up on one row. (Analysis numbers
 * agent turns from 0; the UI and its URLs number them from 1, with 0 for the opening.)
 */
import { AGENT_GREETING, type AssistantMessage, type Message, type ToolMessage, type UserMessage } from "@/lib/types/messages";

export interface AlignedTurn {
  /** 0 = opening, k ≥ 1 = agent turn k. */
  k: number;
  /** Index of the assistant message in the conversation, or null (an opening without greeting). */
  messageIndex: number | null;
  assistant: AssistantMessage | null;
  /** Results in call order; a result whose call is unknown stays with the turn it follows. */
  toolResults: ToolMessage[];
  userReplies: UserMessage[];
}

const isGreeting = (m: AssistantMessage) =>
  (m.tool_calls?.length ?? 0) === 0 && typeof m.content === "string" && m.content.trim() === AGENT_GREETING;

export function alignTurns(messages: readonly Message[]): AlignedTurn[] {
  const opening: AlignedTurn = { k: 0, messageIndex: null, assistant: null, toolResults: [], userReplies: [] };
  const rows: AlignedTurn[] = [opening];
  let current = opening;
  let seenAssistant = false;
  messages.forEach((m, i) => {
    if (m.role === "assistant") {
      if (!seenAssistant && isGreeting(m)) {
        opening.assistant = m;
        opening.messageIndex = i;
      } else {
        current = { k: rows.length, messageIndex: i, assistant: m, toolResults: [], userReplies: [] };
        rows.push(current);
      }
      seenAssistant = true;
    } else if (m.role === "tool") {
      current.toolResults.push(m);
    } else {
      current.userReplies.push(m);
    }
  });
  return rows;
}

/** Rows needed to show every sibling: the longest conversation's turn count + the opening. */
export function rowCount(siblings: readonly (readonly AlignedTurn[])[]): number {
  return siblings.reduce((m, s) => Math.max(m, s.length), 1);
}

/** Tool results keyed by call id, so each call can show its own result. */
export function resultsByCallId(turn: AlignedTurn): Map<string, ToolMessage> {
  return new Map(turn.toolResults.map((r) => [r.tool_call_id, r]));
}

/** Pretty JSON for tool arguments and results; a string that is not JSON stays as is. */
export function formatJson(value: unknown): string {
  if (typeof value === "string") {
    const trimmed = value.trim();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      try {
        return JSON.stringify(JSON.parse(trimmed), null, 2);
      } catch {
        return value;
      }
    }
    return value;
  }
  return JSON.stringify(value, null, 2) ?? String(value);
}

/** Clamps a requested selection to the grid (a stale URL must still land somewhere valid). */
export function clampSelection(turn: number, sibling: number, rows: number, cols: number): { turn: number; sibling: number } {
  const clamp = (v: number, n: number) => (Number.isFinite(v) ? Math.min(Math.max(0, Math.trunc(v)), Math.max(0, n - 1)) : 0);
  return { turn: clamp(turn, rows), sibling: clamp(sibling, cols) };
}
