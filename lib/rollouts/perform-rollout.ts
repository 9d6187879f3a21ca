/**
 * Everything the experiment runner computes for one rollout before it is stored: the
 * scored conversation (runRollout), the policy checker's violations, the metadata that is
 * kept, and the rollout's classification blob. No database here: messages go to
 * `onMessage` as they happen, the caller stores the result.
 */
import { AIRLINE_TOOL_SCHEMAS, checkPolicy, type AirlineState } from "../airline";
import { createAgentDriver, createUserDriver, type AgentDriverConfigInput, type UserDriverConfigInput } from "../agents/factory";
import { goldOfTask, rolloutClassRecord, type RolloutClassRecord } from "../calibration/class-store";
import type { RolloutFinal, StoredViolation } from "../../db/queries/rollouts";
import type { Message } from "../types/messages";
import type { Task } from "../types/task";
import { runRollout } from "./run-rollout";

export interface RolloutWork {
  rolloutId: string;
  experimentId: number;
  groupId: string;
  sample: number;
  seed: number;
  task: Task;
  baseState: AirlineState;
  policy: string;
  agent: AgentDriverConfigInput;
  user: UserDriverConfigInput;
  /** Agent preset recorded in the metadata (mixed-preset experiments). */
  preset: string | null;
  maxTurns: number;
  maxErrors: number;
  /** Messages saved by an interrupted attempt (resume); not re-emitted. */
  saved: readonly Message[];
}

/** The finished rollout's summary fields and violations (as stored) and its classification row. */
export type RolloutResult = Omit<RolloutFinal, "id" | "experimentId" | "groupId" | "finishedAt"> & {
  classRow: RolloutClassRecord;
};

/** The stored metadata drops the task's writ object (it is in the task; exports put it back). */
export function storedMetadata(meta: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!meta) return {};
  const { writ: _writ, ...rest } = meta;
  return rest;
}

/** Runs and scores one rollout. Throws when a driver cannot be built or fails outside the episode's own handling. */
export async function performRollout(
  work: RolloutWork,
  onMessage: (message: Message, index: number) => void,
  signal?: AbortSignal,
): Promise<RolloutResult> {
  const { task, seed } = work;
  const rollout = await runRollout({
    task,
    baseState: work.baseState,
    agent: createAgentDriver(work.agent, { task, seed }),
    user: createUserDriver(work.user, { task, seed }),
    policy: work.policy,
    tools: AIRLINE_TOOL_SCHEMAS,
    maxTurns: work.maxTurns,
    maxErrors: work.maxErrors,
    rolloutId: work.rolloutId,
    groupId: work.groupId,
    sampleIndex: work.sample,
    initialMessages: work.saved.length ? work.saved : undefined,
    onMessage,
    signal,
    metadata: work.preset ? { preset: work.preset } : undefined,
  });
  let violations: StoredViolation[] = [];
  try {
    violations = checkPolicy(rollout.messages, work.baseState).map((v) => ({ rule: v.rule, message: v.message, turn: v.turn, messageIndex: v.messageIndex }));
  } catch {
    // Diagnostics only: a checker bug must not cost the rollout.
  }
  const meta = storedMetadata(rollout.metadata);
  return {
    outcome: rollout.outcome,
    reward: rollout.reward,
    termination: rollout.termination,
    turns: typeof meta.turns === "number" ? meta.turns : 0,
    promptTokens: rollout.usage?.prompt_tokens ?? 0,
    completionTokens: rollout.usage?.completion_tokens ?? 0,
    errorCount: typeof meta.errors === "number" ? meta.errors : 0,
    metadata: meta,
    violations,
    classRow: rolloutClassRecord(work.rolloutId, work.experimentId, rollout.messages, goldOfTask(task)),
  };
}
