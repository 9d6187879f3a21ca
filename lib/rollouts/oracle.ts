/**
 * The oracle trajectory of a task: what a perfect agent would produce, used by
 * `writ tau2 replay` and by tests. Greeting, the user's request, each gold action as its
 * own assistant tool call followed by its result, one assistant message carrying every
 * communicate_info string, then the user's ###STOP###.
 */
import { AirlineEnv } from "../airline/toolkit/airline-env";
import type { AirlineState } from "../airline/schema";
import { AGENT_GREETING, type Message } from "../types/messages";
import type { Task } from "../types/task";

function userOpening(task: Task): string {
  const ins = task.user_scenario.instructions;
  return typeof ins === "string" ? ins : ins.reason_for_call;
}

/**
 * With `base`, the gold actions are executed on a fresh environment so the tool messages
 * carry real results; without it they carry a placeholder (the evaluator never reads them).
 */
export function oracleTrajectory(task: Task, base?: AirlineState): Message[] {
  const env = base ? new AirlineEnv(base) : null;
  const messages: Message[] = [
    { role: "assistant", content: AGENT_GREETING },
    { role: "user", content: userOpening(task) },
  ];
  const actions = task.evaluation_criteria?.actions ?? [];
  actions.forEach((action, i) => {
    const id = `oracle-${i}`;
    messages.push({ role: "assistant", content: null, tool_calls: [{ id, name: action.name, arguments: action.arguments }] });
    const result = env ? env.call(action.name, action.arguments) : { error: false, content: "(not executed)" };
    messages.push({ role: "tool", tool_call_id: id, content: result.content, error: result.error });
  });
  const infos = task.evaluation_criteria?.communicate_info ?? [];
  messages.push({
    role: "assistant",
    content: infos.length > 0 ? `Here are the details you asked for: ${infos.join(" | ")}.` : "Is there anything else I can help you with?",
  });
  messages.push({ role: "user", content: "###STOP###" });
  return messages;
}
