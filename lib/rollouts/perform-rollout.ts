/**
 * Everything the experiment runner computes for one rollout before it is stored: the played
 * conversation with its policy violations and classification blob (playRollout), then the
 * evaluator's score and the metadata that is kept (scoreRollout). No database here: messages
 * go to `onMessage` as they happen, the caller stores the result. Playing and scoring are
 * separate steps so the runner can score on the rollout store thread while it plays the next.
 */
import { AIRLINE_TOOL_SCHEMAS, checkPolicy, type AirlineState } from "../airline";
import { createAgentDriver, createUserDriver, type AgentDriverConfigInput, type UserDriverConfigInput } from "../agents/factory";
import { goldOfTask, rolloutClassRecord, type RolloutClassRecord } from "../calibration/class-store";
import type { RolloutFinal, StoredViolation } from "../../db/queries/rollouts";
import type { Message } from "../types/messages";
import type { Task } from "../types/task";
import { playEpisode, scoreEpisode, type PlayedEpisode } from "./run-rollout";

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

/** What scoring a played rollout needs (the rollout store thread rebuilds it from the task set). */
export type ScoreWork = Pick<RolloutWork, "rolloutId" | "experimentId" | "groupId" | "sample" | "task" | "baseState" | "preset">;

/**
 * A played rollout with its policy violations and classification row. Both are computed right
 * after play, on the playing thread: with the rollout store thread (which scores and stores)
 * that balances the two threads' work. Either way the stored rows are the same.
 */
export interface PlayedRollout extends PlayedEpisode {
  violations: StoredViolation[];
  classRow: RolloutClassRecord;
}

/** The policy checker's findings as stored; diagnostics only, so a checker bug gives none rather than costing the rollout. */
export function policyViolations(messages: readonly Message[], baseState: AirlineState): StoredViolation[] {
  try {
    return checkPolicy(messages, baseState).map((v) => ({ rule: v.rule, message: v.message, turn: v.turn, messageIndex: v.messageIndex }));
  } catch {
    return [];
  }
}

/** Plays one rollout's conversation; messages go to `onMessage` as they happen. Throws when a driver cannot be built. */
export async function playRollout(work: RolloutWork, onMessage: (message: Message, index: number) => void, signal?: AbortSignal): Promise<PlayedRollout> {
  const { task, seed } = work;
  const played = await playEpisode({
    task,
    baseState: work.baseState,
    agent: createAgentDriver(work.agent, { task, seed }),
    user: createUserDriver(work.user, { task, seed }),
    policy: work.policy,
    tools: AIRLINE_TOOL_SCHEMAS,
    maxTurns: work.maxTurns,
    maxErrors: work.maxErrors,
    initialMessages: work.saved.length ? work.saved : undefined,
    onMessage,
    signal,
  });
  return {
    ...played,
    violations: policyViolations(played.messages, work.baseState),
    classRow: rolloutClassRecord(work.rolloutId, work.experimentId, played.messages, goldOfTask(task)),
  };
}

/** Scores a played rollout (evaluator outcome, stored metadata) into its stored summary, violations and classification row. */
export function scoreRollout(work: ScoreWork, played: PlayedRollout): RolloutResult {
  const { task } = work;
  const rollout = scoreEpisode(
    {
      task,
      baseState: work.baseState,
      rolloutId: work.rolloutId,
      groupId: work.groupId,
      sampleIndex: work.sample,
      metadata: work.preset ? { preset: work.preset } : undefined,
    },
    played,
  );
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
    violations: played.violations,
    classRow: played.classRow,
  };
}

/** The stored row of a rollout that ended in an error outside the episode (driver setup, scoring, task gone). */
export function erroredRolloutFinal(
  ids: Pick<RolloutFinal, "id" | "experimentId" | "groupId">,
  message: string,
  preset: string | null,
  saved: readonly Message[] = [],
): RolloutFinal {
  return {
    ...ids,
    outcome: 0,
    reward: 0,
    termination: "error",
    turns: saved.filter((m, i) => m.role === "assistant" && i > 0).length,
    promptTokens: 0,
    completionTokens: 0,
    errorCount: 1,
    metadata: { error: message, ...(preset ? { preset } : {}) },
    violations: [],
    finishedAt: Date.now(),
  };
}
