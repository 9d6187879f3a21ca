/**
 * The agent side on an OpenAI-compatible model. Never throws for a failed model
 * call: after the retries it returns an assistant message with `error` set, which
 * the runner records and counts toward max errors. Only an abort (the caller's
 * signal) propagates.
 */
import type { AssistantMessage } from "../../types/messages";
import type { AgentDriver } from "../types";
import { createChatCaller, type CallStats, type EndpointOptions } from "./client";
import { buildAgentSystemPrompt } from "./prompts";
import { toAgentWireMessages } from "./wire";

export type OpenAIAgentOptions = EndpointOptions;

export interface OpenAIAgentDriver extends AgentDriver {
  stats(): CallStats;
}

export function createOpenAIAgent(opts: OpenAIAgentOptions): OpenAIAgentDriver {
  const caller = createChatCaller(opts);
  // The policy is the same string every turn: build its prompt once (the same string each
  // call also lets request-body.ts find its serialised form without re-hashing 5 KB).
  let promptFor: { policy: string; prompt: string } | undefined;
  return {
    label: `openai agent (${opts.model})`,
    stats: () => caller.stats(),
    async nextTurn({ messages, tools, policy, signal }): Promise<AssistantMessage> {
      if (promptFor?.policy !== policy) promptFor = { policy, prompt: buildAgentSystemPrompt(policy) };
      const wire = toAgentWireMessages(promptFor.prompt, messages);
      const result = await caller.call(wire, tools, signal);
      if (!result.ok) return { role: "assistant", content: null, error: result.error, latency_ms: result.latency_ms };
      const { reply } = result;
      const message: AssistantMessage = { role: "assistant", content: reply.content };
      if (reply.tool_calls.length > 0) message.tool_calls = reply.tool_calls;
      if (reply.usage) message.usage = reply.usage;
      message.latency_ms = result.latency_ms;
      return message;
    },
  };
}
