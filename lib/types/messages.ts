/**
 * The conversation format every part of WRIT Lab speaks: the rollout JSON of
 * docs/cli-and-formats.md. τ²-bench's message shape, with tool-call arguments as
 * an object (a string that does not parse as JSON is kept as a string and the call
 * counts as an error). Zod schemas validate imported files; types derive from them.
 */
import { z } from "zod";

export const usageSchema = z.object({
  prompt_tokens: z.number().nonnegative(),
  completion_tokens: z.number().nonnegative(),
});
export type Usage = z.infer<typeof usageSchema>;

export const toolCallSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** An object normally; a raw string when the model's arguments were not valid JSON. */
  arguments: z.union([z.record(z.string(), z.unknown()), z.string()]),
});
export type ToolCall = z.infer<typeof toolCallSchema>;

export const assistantMessageSchema = z.object({
  role: z.literal("assistant"),
  content: z.string().nullable(),
  tool_calls: z.array(toolCallSchema).optional(),
  usage: usageSchema.optional(),
  /** Milliseconds the model call took (real drivers only). */
  latency_ms: z.number().optional(),
  /** Set when the driver failed to produce a usable reply (recorded, never thrown away). */
  error: z.string().optional(),
});
export type AssistantMessage = z.infer<typeof assistantMessageSchema>;

export const userMessageSchema = z.object({
  role: z.literal("user"),
  content: z.string(),
  usage: usageSchema.optional(),
  latency_ms: z.number().optional(),
});
export type UserMessage = z.infer<typeof userMessageSchema>;

export const toolMessageSchema = z.object({
  role: z.literal("tool"),
  tool_call_id: z.string(),
  content: z.string(),
  error: z.boolean().default(false),
});
export type ToolMessage = z.infer<typeof toolMessageSchema>;

export const messageSchema = z.discriminatedUnion("role", [
  assistantMessageSchema,
  userMessageSchema,
  toolMessageSchema,
]);
export type Message = z.infer<typeof messageSchema>;

/** τ²'s fixed opening line; the message carrying it is not an agent turn. */
export const AGENT_GREETING = "Hi! How can I help you today?";
/** Tokens with which the user simulator ends an episode. */
export const USER_STOP_TOKENS = ["###STOP###", "###TRANSFER###", "###OUT-OF-SCOPE###"] as const;

export const terminationSchema = z.enum(["user_stop", "agent_stop", "max_turns", "too_many_errors", "error"]);
export type Termination = z.infer<typeof terminationSchema>;
