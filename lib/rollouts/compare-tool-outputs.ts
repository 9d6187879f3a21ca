/**
 * Replay a recorded trajectory's tool calls through the project's airline environment and
 * compare every recorded tool output with the one the environment produces now.
 *
 * τ²'s orchestrator executes each assistant tool call, in order, on one live environment
 * (reads and writes), so the replay does the same: a fresh copy-on-write AirlineEnv over the
 * base state, every call executed in message order. A recorded tool message is paired with
 * its call by tool_call_id (τ² writes results right after the calling message, in call order).
 * Outputs are compared byte for byte in τ²'s text form (lib/airline/tau2-json.ts), and the
 * error flag with it.
 *
 * Pure domain logic: no db, no framework.
 */
import { AirlineEnv } from "../airline/toolkit/airline-env";
import type { AirlineState } from "../airline/schema";
import { tau2ToolText } from "../airline/tau2-json";
import type { Message } from "../types/messages";

export interface ToolOutputDifference {
  /** Index of the recorded tool message in the trajectory. */
  message_index: number;
  tool_call_id: string;
  name: string;
  recorded: string;
  replayed: string;
  recorded_error: boolean;
  replayed_error: boolean;
  /** A short unified-style excerpt around the first differing character. */
  diff: string;
}

export interface ToolOutputComparison {
  /** Recorded tool messages that were paired with a call and compared. */
  compared: number;
  /** Tool messages whose call could not be found (no assistant call with that id). */
  unpaired: number;
  differences: number;
  /** The first few differences (at most `keep`). */
  first: ToolOutputDifference[];
}

const EXCERPT = 60;

/** Where two strings first differ, shown as "-recorded / +replayed" with some context. */
export function diffExcerpt(recorded: string, replayed: string): string {
  let i = 0;
  while (i < recorded.length && i < replayed.length && recorded[i] === replayed[i]) i++;
  const from = Math.max(0, i - EXCERPT);
  const cut = (s: string) => (from > 0 ? "…" : "") + s.slice(from, i + EXCERPT) + (s.length > i + EXCERPT ? "…" : "");
  return `@ char ${i}\n-${cut(recorded)}\n+${cut(replayed)}`;
}

/**
 * Replay `messages` on `base` and compare recorded tool outputs. `keep` bounds how many
 * differences are returned in full (the count is always exact).
 */
export function compareToolOutputs(
  messages: readonly Message[],
  base: AirlineState,
  keep = 5,
  /**
   * "tau2": recorded by τ²-bench (Python json.dumps text); "project": recorded by this
   * project's environment (compact JSON); "any": either form matches.
   */
  form: "tau2" | "project" | "any" = "tau2",
): ToolOutputComparison {
  const env = new AirlineEnv(base);
  const replayed = new Map<string, { name: string; content: string; error: boolean; alt?: string }>();
  const out: ToolOutputComparison = { compared: 0, unpaired: 0, differences: 0, first: [] };
  messages.forEach((m, index) => {
    if (m.role === "assistant") {
      for (const call of m.tool_calls ?? []) {
        const r = env.call(call.name, call.arguments);
        // Recorded τ² outputs are Python json.dumps text: render ours the same way.
        const args = typeof call.arguments === "object" ? call.arguments : undefined;
        const content = r.error || form === "project" ? r.content : tau2ToolText(call.name, r.value ?? r.content, args);
        replayed.set(call.id, { name: call.name, content, error: r.error, alt: form === "any" ? r.content : undefined });
      }
      return;
    }
    if (m.role !== "tool") return;
    const mine = replayed.get(m.tool_call_id);
    if (!mine) {
      out.unpaired++;
      return;
    }
    replayed.delete(m.tool_call_id);
    out.compared++;
    if ((mine.content === m.content || mine.alt === m.content) && mine.error === m.error) return;
    out.differences++;
    if (out.first.length < keep) {
      out.first.push({
        message_index: index,
        tool_call_id: m.tool_call_id,
        name: mine.name,
        recorded: m.content,
        replayed: mine.content,
        recorded_error: m.error,
        replayed_error: mine.error,
        diff: mine.content === m.content ? `error flag: recorded ${m.error}, replayed ${mine.error}` : diffExcerpt(m.content, mine.content),
      });
    }
  });
  return out;
}
