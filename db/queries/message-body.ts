/**
 * How a rollout message is stored in rollout_messages.body, and read back.
 *
 * - Inline: exactly JSON.stringify(message).
 * - Split: a tool message of the runner's shape {role, tool_call_id, content, error} with a
 *   large content. The same results (a user profile, a flight search) recur across the
 *   rollouts of a group and an experiment, so the content is stored once in
 *   message_contents and the body keeps the other fields; `restoreMessage` puts the
 *   content back in its place, so a read gives the same object (and the same
 *   JSON.stringify) as the inline form.
 */
import type { Message, ToolMessage } from "../../lib/types/messages";

/** Contents shorter than this stay inline: a second row costs more than it saves. */
export const MIN_SPLIT_LENGTH = 256;

interface ToolFields {
  tool_call_id: string;
  content: string;
  error: boolean;
}

/** The fields of a tool message of the exact runner shape (keys in that order), else null. */
function runnerToolMessage(message: Message): ToolFields | null {
  if (message.role !== "tool") return null;
  // The type says ToolMessage; the checks below are about the object as it really is (key order, extra keys).
  const m: Readonly<Record<string, unknown>> = message;
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
    return { tool_call_id: m.tool_call_id, content: m.content, error: m.error };
  }
  return null;
}

export function messageBody(message: Message): string {
  return JSON.stringify(message);
}

/** The split form of a message (body without content, and the content), or null to store it inline. */
export function splitMessage(message: Message): { body: string; content: string } | null {
  const t = runnerToolMessage(message);
  if (!t || t.content.length < MIN_SPLIT_LENGTH) return null;
  return { body: `{"role":"tool","tool_call_id":${JSON.stringify(t.tool_call_id)},"error":${t.error}}`, content: t.content };
}

/**
 * The message of a stored row. `contentId` null: the body is the whole message. Otherwise
 * `content` is the joined message_contents text (null only if that row went missing; the
 * message then reads with an empty content rather than failing the whole rollout).
 */
export function restoreMessage(body: string, contentId: number | bigint | null, content: string | null): Message {
  if (contentId === null) return JSON.parse(body) as Message;
  // The split form (splitMessage): a runner tool message without its content.
  const t = JSON.parse(body) as Omit<ToolMessage, "content">;
  return { role: "tool", tool_call_id: t.tool_call_id, content: content ?? "", error: t.error };
}
