/**
 * Buffered persistence for the experiment runner. Writes (rollout start rows, messages,
 * finalisations with their counters) queue up in call order and go to SQLite in one
 * transaction per flush: with simulated drivers that is every `maxOps` writes or
 * `maxDelayMs`, which is what makes hundreds of rollouts a second affordable.
 *
 * Durable mode (any OpenAI driver): every message is flushed before `message()` returns,
 * i.e. before the runner awaits the next model call, so a worker killed mid-conversation
 * resumes from the last saved message and never pays for a saved model call again.
 * Every statement is idempotent (see db/queries/rollouts.ts), so a flush that races a
 * second owner of the job cannot duplicate rows or counters.
 *
 * `finish()` scores the played rollout (evaluator, policy checker, classification) and queues
 * its finalisation: scoring belongs to storing, so the rollout store thread
 * (rollout-store-thread.ts), which runs this same writer, takes both off the playing thread.
 */
import type { Db } from "../../db/client";
import { retryBusySync } from "../../db/retry";
import {
  finalizeRollout,
  insertRolloutMessage,
  insertRolloutStart,
  type RolloutFinal,
  type RolloutStart,
} from "../../db/queries/rollouts";
import { writeRolloutClass, type RolloutClassRecord } from "../calibration/class-store";
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

export interface RolloutWriterOptions {
  durable: boolean;
  maxOps?: number;
  maxDelayMs?: number;
}

type WriteOp =
  | { kind: "start"; row: RolloutStart }
  | { kind: "message"; rolloutId: string; idx: number; message: Message }
  | { kind: "final"; final: RolloutFinal; classRow?: RolloutClassRecord };

export class RolloutWriter implements RolloutSink {
  private ops: WriteOp[] = [];
  private lastFlush = Date.now();
  private readonly maxOps: number;
  private readonly maxDelayMs: number;
  finalized = 0;
  flushes = 0;

  constructor(
    private readonly db: Db,
    private readonly options: RolloutWriterOptions,
  ) {
    this.maxOps = options.maxOps ?? BATCH_MAX_OPS;
    this.maxDelayMs = options.maxDelayMs ?? BATCH_MAX_DELAY_MS;
  }

  get durable(): boolean {
    return this.options.durable;
  }

  start(row: RolloutStart): void {
    this.queue({ kind: "start", row });
  }

  message(rolloutId: string, idx: number, message: Message): void {
    this.queue({ kind: "message", rolloutId, idx, message });
  }

  finish(work: ScoreWork, played: PlayedRollout, finishedAt: number): void {
    const { final, classRow } = scoredFinal(work, played, finishedAt);
    this.store(final, classRow);
  }

  fail(final: RolloutFinal): void {
    this.store(final);
  }

  store(final: RolloutFinal, classRow?: RolloutClassRecord): void {
    this.queue({ kind: "final", final, classRow });
  }

  pace(): void {}

  publish(): void {
    this.flush();
  }

  close(): void {}

  private queue(op: WriteOp): void {
    this.ops.push(op);
    if (this.options.durable) this.flush();
    else if (this.ops.length >= this.maxOps || Date.now() - this.lastFlush >= this.maxDelayMs) this.flush();
  }

  private apply(op: WriteOp): number {
    if (op.kind === "start") insertRolloutStart(this.db, op.row);
    else if (op.kind === "message") insertRolloutMessage(this.db, op.rolloutId, op.idx, op.message);
    else if (finalizeRollout(this.db, op.final)) {
      if (op.classRow) writeRolloutClass(this.db.$client, op.classRow);
      return 1;
    }
    return 0;
  }

  /** Write everything queued, in order, in one transaction (retried briefly on SQLITE_BUSY). */
  flush(): void {
    this.lastFlush = Date.now();
    if (this.ops.length === 0) return;
    const batch = this.ops;
    this.ops = [];
    let finalized = 0;
    try {
      retryBusySync(() => {
        finalized = 0;
        this.db.$client
          .transaction(() => {
            for (const op of batch) finalized += this.apply(op);
          })
          .immediate();
      }, 20);
    } catch (err) {
      throw new RolloutStorageError(err);
    }
    this.finalized += finalized;
    this.flushes++;
  }
}
