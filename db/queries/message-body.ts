/**
 * The stored body of a rollout message: exactly JSON.stringify(message), with one saving.
 * Tool results are JSON documents themselves, so storing them escapes every quote again;
 * the same large results (a user profile, a flight search) recur across the rollouts of
 * a group and an experiment. The escaped form of large tool contents is memoised, and a
 * tool message of the usual shape is assembled around it.
 */
import type { Message } from "../../lib/types/messages";

/** Smaller contents are cheaper to escape than to look up. */
const MIN_CACHED_LENGTH = 512;
const MAX_CACHED = 2048;
const literals = new Map<string, string>();

function jsonStringLiteral(s: string): string {
  if (s.length < MIN_CACHED_LENGTH) return JSON.stringify(s);
  let lit = literals.get(s);
  if (lit === undefined) {
    lit = JSON.stringify(s);
    if (literals.size >= MAX_CACHED) literals.clear();
    literals.set(s, lit);
  }
  return lit;
}

export function messageBody(message: Message): string {
  if (message.role === "tool") {
    // Only the exact shape the runner writes, {role, tool_call_id, content, error} in that
    // order; anything else (extra or reordered keys) goes through JSON.stringify as is.
    const m = message as unknown as Record<string, unknown>;
    const keys = Object.keys(m);
    if (
      keys.length === 4 &&
      keys[0] === "role" &&
      keys[1] === "tool_call_id" &&
      keys[2] === "content" &&
      keys[3] === "error" &&
      typeof m.tool_call_id === "string" &&
      typeof m.content === "string" &&
      typeof m.error === "boolean"
    ) {
      return `{"role":"tool","tool_call_id":${JSON.stringify(m.tool_call_id)},"content":${jsonStringLiteral(m.content)},"error":${m.error}}`;
    }
  }
  return JSON.stringify(message);
}
