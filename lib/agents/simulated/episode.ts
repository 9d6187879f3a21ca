/**
 * A minimal in-process episode loop for the simulated drivers (tests and benchmarks):
 * the same protocol as lib/rollouts/run-episode.ts (greeting → user → agent; one tool
 * message per call; agent text → user; a user stop token ends it), without persistence.
 */
import { AirlineEnv, type AirlineState } from "../../airline";
import { AGENT_GREETING, USER_STOP_TOKENS, type Message, type Termination } from "../../types/messages";
import type { Task } from "../../types/task";
import type { AgentDriver, UserDriver } from "../types";

export interface SimulatedEpisode {
  messages: Message[];
  termination: Termination;
  turns: number;
  errors: number;
}

export async function runSimulatedEpisode(opts: {
  task: Task;
  base: AirlineState;
  agent: AgentDriver;
  user: UserDriver;
  maxTurns?: number;
  maxErrors?: number;
}): Promise<SimulatedEpisode> {
  const maxTurns = opts.maxTurns ?? 400;
  const maxErrors = opts.maxErrors ?? 10;
  const env = new AirlineEnv(opts.base);
  const messages: Message[] = [{ role: "assistant", content: AGENT_GREETING }];
  let turns = 0;
  let errors = 0;
  for (;;) {
    const u = await opts.user.nextTurn({ messages, task: opts.task });
    messages.push(u);
    if (USER_STOP_TOKENS.some((t) => u.content.includes(t))) return { messages, termination: "user_stop", turns, errors };
    for (;;) {
      if (turns >= maxTurns) return { messages, termination: "max_turns", turns, errors };
      const a = await opts.agent.nextTurn({ messages, tools: [], policy: "" });
      turns++;
      messages.push(a);
      if (!a.tool_calls?.length) break;
      for (const c of a.tool_calls) {
        const r = typeof c.arguments === "string" ? { error: true, content: "Error: invalid JSON arguments" } : env.call(c.name, c.arguments);
        if (r.error) errors++;
        messages.push({ role: "tool", tool_call_id: c.id, content: r.content, error: r.error });
      }
      if (errors >= maxErrors) return { messages, termination: "too_many_errors", turns, errors };
    }
  }
}
