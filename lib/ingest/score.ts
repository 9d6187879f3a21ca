/**
 * WRIT Lab's own numbers for an arriving trajectory, computed exactly as for a played rollout:
 * outcome and reward from the airline evaluator (lib/rollouts/evaluate.ts), policy violations
 * from the checker, the per-turn classification row (rollout_classes) from the classifier the
 * experiments use. Pure given the task and its base state (no database).
 */
import type { AirlineState } from "../airline";
import { goldOfTask, rolloutClassRecord, type RolloutClassRecord } from "../calibration/class-store";
import type { StoredViolation } from "../../db/queries/rollouts";
import { evaluateTrajectory, isSuccess } from "../rollouts/evaluate";
import { policyViolations } from "../rollouts/perform-rollout";
import { USER_STOP_TOKENS, type Message, type Termination } from "../types/messages";
import type { Task } from "../types/task";

export interface ScoredTrajectory {
  outcome: 0 | 1;
  reward: number;
  termination: Termination;
  turns: number;
  errorCount: number;
  promptTokens: number;
  completionTokens: number;
  violations: StoredViolation[];
  evaluation: Record<string, unknown>;
  classRow: RolloutClassRecord;
}

/**
 * The trainer's termination when it sent one; otherwise "user_stop" when the simulated user
 * ended the conversation with a stop token, else "agent_stop" (the agent had the last word).
 */
export function inferTermination(messages: readonly Message[]): Termination {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.role !== "user") continue;
    return USER_STOP_TOKENS.some((t) => m.content.includes(t)) ? "user_stop" : "agent_stop";
  }
  return "agent_stop";
}

export function scoreTrajectory(
  ids: { rolloutId: string; experimentId: number },
  task: Task,
  baseState: AirlineState,
  messages: readonly Message[],
  termination: Termination | undefined,
): ScoredTrajectory {
  const term = termination ?? inferTermination(messages);
  let reward = 0;
  let evaluation: Record<string, unknown>;
  try {
    const e = evaluateTrajectory({ task, messages, termination: term, baseState });
    reward = e.reward;
    evaluation = { db_match: e.db_match, communicate_match: e.communicate_match, read_recall: e.read_recall, write_recall: e.write_recall, ...(e.error ? { error: e.error } : {}) };
  } catch (err) {
    // An evaluator bug must not lose the trainer's trajectory: keep it, score 0, say why.
    evaluation = { error: err instanceof Error ? err.message : String(err) };
  }
  let turns = 0;
  let errorCount = 0;
  let promptTokens = 0;
  let completionTokens = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (m.role === "assistant") {
      if (i > 0) turns++;
      if (m.error !== undefined) errorCount++;
      promptTokens += m.usage?.prompt_tokens ?? 0;
      completionTokens += m.usage?.completion_tokens ?? 0;
    } else if (m.role === "tool" && m.error) errorCount++;
  }
  return {
    outcome: isSuccess(reward) ? 1 : 0,
    reward,
    termination: term,
    turns,
    errorCount,
    promptTokens,
    completionTokens,
    violations: policyViolations(messages, baseState),
    evaluation,
    classRow: rolloutClassRecord(ids.rolloutId, ids.experimentId, messages, goldOfTask(task)),
  };
}
