/** Builders for small rollouts in tests (lib/rewards and lib/analysis). */
import type { Message } from "../types/messages";
import type { Rollout } from "../types/rollout";

export type CallSpec = { name: string; args: Record<string, unknown> | string; error?: boolean };
export type TurnSpec = string | CallSpec[];

let callCounter = 0;

/** Greeting, then per turn a user message and an assistant message (text or calls + tool results). */
export function makeRollout(
  turns: TurnSpec[],
  opts: Partial<Pick<Rollout, "rollout_id" | "group_id" | "task_id" | "outcome" | "gold_actions" | "metadata">> & { tokens?: (number | null)[] } = {},
): Rollout {
  const messages: Message[] = [{ role: "assistant", content: "Hi! How can I help you today?" }];
  turns.forEach((turn, k) => {
    messages.push({ role: "user", content: `request ${k}` });
    const tok = opts.tokens?.[k];
    const usage = tok === undefined || tok === null ? undefined : { prompt_tokens: 10, completion_tokens: tok };
    if (typeof turn === "string") {
      messages.push({ role: "assistant", content: turn, ...(usage ? { usage } : {}) });
      return;
    }
    const calls = turn.map((c) => ({ id: `c${++callCounter}`, name: c.name, arguments: c.args }));
    messages.push({ role: "assistant", content: null, tool_calls: calls, ...(usage ? { usage } : {}) });
    turn.forEach((c, i) => messages.push({ role: "tool", tool_call_id: calls[i].id, content: c.error ? "Error: x" : "{}", error: c.error === true }));
  });
  return {
    rollout_id: opts.rollout_id ?? `r${callCounter}`,
    task_id: opts.task_id ?? "t1",
    group_id: opts.group_id ?? "g1",
    sample_index: 0,
    outcome: opts.outcome ?? 1,
    reward: opts.outcome ?? 1,
    termination: "user_stop",
    messages,
    gold_actions: opts.gold_actions ?? [],
    metadata: opts.metadata,
  };
}
