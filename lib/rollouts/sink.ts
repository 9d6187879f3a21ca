/**
 * What the experiment runner (./run-job.ts) sends a rollout's rows to: the RolloutSink
 * contract, its storage error, the batch limits and the scoring of a played rollout into its
 * stored row. Two sinks implement it, both in ./store/: RolloutWriter (./store/writer.ts, on
 * the job's thread) and ThreadedRolloutWriter (./store/thread.ts, the rollout store thread).
 */
import type { RolloutFinal, RolloutStart } from "../../db/queries/rollouts";
import type { RolloutClassRecord } from "../calibration/class-store";
import type { Message } from "../types/messages";
import { erroredRolloutFinal, scoreRollout, type PlayedRollout, type ScoreWork } from "./perform-rollout";

/** A storage failure: must fail (and retry) the job, never be recorded as a rollout's own error. */
export class RolloutStorageError extends Error {
  constructor(cause: unknown) {
    super(`saving rollouts failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "RolloutStorageError";
  }
}

/**
 * Where the experiment runner sends a rollout's rows: this class (same thread) or
 * ThreadedRolloutWriter (the rollout store thread). Same calls, same rows.
 */
export interface RolloutSink {
  /** Rollouts finalised (counters bumped) by this sink, stored ones only. */
  readonly finalized: number;
  start(row: RolloutStart): void;
  message(rolloutId: string, idx: number, message: Message): void;
  /** Scores a played rollout and stores its finalisation; a scoring failure ends that rollout as "error". */
  finish(work: ScoreWork, played: PlayedRollout, finishedAt: number): void;
  /** Finalises a rollout that ended outside the episode (its row built by erroredRolloutFinal). */
  fail(final: RolloutFinal): void;
  /** Stores everything queued so far; once it returns (resolves) other connections see it. */
  flush(): void | Promise<void>;
  /** Waits while storage is behind the runner (threaded sink); returns at once otherwise. */
  pace(): void | Promise<void>;
  /**
   * Sends what is queued on its way without waiting for it (progress reports): this writer
   * flushes; the threaded one posts its batch, so the runner never stalls the pipeline.
   */
  publish(): void;
  /** Frees what the sink holds; call once the job is over (after the last flush). */
  close(): void;
}

/** A played rollout scored into its stored row; a scoring failure ends the rollout as "error" with the reason. */
export function scoredFinal(work: ScoreWork, played: PlayedRollout, finishedAt: number): { final: RolloutFinal; classRow?: RolloutClassRecord } {
  const ids = { id: work.rolloutId, experimentId: work.experimentId, groupId: work.groupId };
  try {
    const { classRow, ...summary } = scoreRollout(work, played);
    return { final: { ...summary, ...ids, finishedAt }, classRow };
  } catch (err) {
    return { final: erroredRolloutFinal(ids, err instanceof Error ? err.message : String(err), work.preset, played.messages) };
  }
}

/** A batch of non-durable writes is stored once it holds this many operations or is this old. */
export const BATCH_MAX_OPS = 2_000;
export const BATCH_MAX_DELAY_MS = 25;
