/**
 * What every trainer adapter produces: `group.create` bodies of the ingestion contract
 * (shared docs, training-integration.md §6). Adapters are pure parsers: text or rows in,
 * these bodies out, so the same code serves the CLI, `--follow` and the tests.
 *
 * Messages are the project's rollout message format (lib/types/messages.ts): assistant
 * messages with `tool_calls[{id, name, arguments}]`, tool messages with `tool_call_id`.
 * System prompts are not part of a WRIT Lab trajectory and are dropped by every adapter.
 */
import type { Message } from "../../types/messages";

export interface IngestTrajectory {
  trajectory_id: string;
  messages: Message[];
  /** The trainer's own scalar reward for the trajectory. */
  reward?: number;
  /** The trainer's reward parts, by name. */
  reward_components?: Record<string, number>;
  /** The trainer's trajectory-level advantage. */
  advantage?: number;
  /** The trainer's per-agent-turn advantages (index k = k-th assistant message). */
  turn_advantages?: number[];
  termination?: string;
  metadata?: Record<string, unknown>;
}

export interface GroupCreateBody {
  run_id: string;
  step: number;
  split?: "train" | "eval";
  policy_version?: number;
  group_id: string;
  task_id: string;
  trajectories: IngestTrajectory[];
}

/** A record the adapter could not turn into a trajectory, with where it came from. */
export interface AdapterIssue {
  /** File and line / row, e.g. "step_3/train/all/traces.jsonl:12". */
  where: string;
  message: string;
}

/** Raised for input an adapter cannot use at all (missing key, wrong layout); the message says how to fix it. */
export class AdapterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AdapterError";
  }
}

export const TRAINER_FORMATS = ["prime-rl", "verl", "trl", "tau2"] as const;
export type TrainerFormat = (typeof TRAINER_FORMATS)[number];
