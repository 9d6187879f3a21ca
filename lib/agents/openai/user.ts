/**
 * The user simulator on an OpenAI-compatible model: guidelines + <scenario> as the
 * system prompt, the conversation role-flipped. A user message has no error field,
 * so a call that still fails after the retries throws UserDriverError (key
 * redacted); the runner then ends the episode with termination "error".
 */
import type { UserMessage } from "../../types/messages";
import type { Task } from "../../types/task";
import type { UserDriver } from "../types";
import { createChatCaller, type CallStats, type EndpointOptions } from "./client";
import { buildUserSystemPrompt, loadUserGuidelines } from "./prompts";
import { toUserWireMessages } from "./wire";

export interface OpenAIUserOptions extends EndpointOptions {
  /** A guidelines file (e.g. τ²'s simulation_guidelines.md); the project's own text when absent. */
  guidelinesPath?: string;
}

export class UserDriverError extends Error {
  constructor(message: string, readonly kind: string) {
    super(message);
    this.name = "UserDriverError";
  }
}

export interface OpenAIUserDriver extends UserDriver {
  stats(): CallStats;
}

export function createOpenAIUser(opts: OpenAIUserOptions): OpenAIUserDriver {
  const caller = createChatCaller(opts);
  const guidelines = loadUserGuidelines(opts.guidelinesPath);
  // A driver serves one episode, i.e. one task: render its scenario once, not every turn.
  let promptFor: { task: Task; prompt: string } | undefined;
  return {
    label: `openai user (${opts.model})`,
    stats: () => caller.stats(),
    async nextTurn({ messages, task, signal }): Promise<UserMessage> {
      if (promptFor?.task !== task) promptFor = { task, prompt: buildUserSystemPrompt(guidelines, task) };
      const wire = toUserWireMessages(promptFor.prompt, messages);
      const result = await caller.call(wire, undefined, signal);
      if (!result.ok) throw new UserDriverError(`user simulator failed: ${result.error}`, result.kind);
      const message: UserMessage = { role: "user", content: result.reply.content ?? "" };
      if (result.reply.usage) message.usage = result.reply.usage;
      message.latency_ms = result.latency_ms;
      return message;
    },
  };
}
