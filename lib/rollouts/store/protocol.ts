/**
 * Messages between the experiment runner and the rollout store thread. Plain data only
 * (structured clone). Each running job has its own `job` number and names its database file;
 * batches are numbered so the runner knows what has been stored.
 */
import type { RolloutFinal, RolloutStart } from "../../../db/queries/rollouts";
import type { RolloutClassRecord } from "../../calibration/class-store";
import type { Message } from "../../types/messages";
import type { PlayedRollout } from "../perform-rollout";

/** Which rollout a played episode belongs to; the thread looks the task up in its own copy of the task set. */
export interface FinishRef {
  rolloutId: string;
  experimentId: number;
  groupId: string;
  taskId: string;
  sample: number;
  preset: string | null;
}

export type StoreOp =
  | { kind: "start"; row: RolloutStart }
  | { kind: "message"; rolloutId: string; idx: number; message: Message }
  /** The messages are not sent again: the thread has them from the "message" ops (or, on a resume, from the database). */
  | { kind: "finish"; ref: FinishRef; played: Omit<PlayedRollout, "messages">; messageCount: number; finishedAt: number }
  /** A rollout already scored by the runner (it does so while the thread is behind), or ended outside its episode. */
  | { kind: "final"; final: RolloutFinal; classRow?: RolloutClassRecord };

export type StoreRequest =
  | { type: "open"; job: number; dbPath: string; taskSetId: number | null; taskIds: string[] }
  | { type: "batch"; job: number; seq: number; ops: StoreOp[] }
  | { type: "close"; job: number };

export type StoreReply =
  /** Batches up to `seq` are committed; `finalized` counts the job's finalised rollouts so far. */
  | { type: "ack"; job: number; seq: number; finalized: number }
  /** `code`: SQLite's error code when there is one (SQLITE_BUSY must stay retryable across the thread boundary). */
  | { type: "error"; job: number; message: string; code?: string };
