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

/** A storage failure: must fail (and retry) the job, never be recorded as a rollout's own error. */
export class RolloutStorageError extends Error {
  constructor(cause: unknown) {
    super(`saving rollouts failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "RolloutStorageError";
  }
}

export interface RolloutWriterOptions {
  durable: boolean;
  maxOps?: number;
  maxDelayMs?: number;
}

export class RolloutWriter {
  private ops: (() => void)[] = [];
  private lastFlush = Date.now();
  private readonly maxOps: number;
  private readonly maxDelayMs: number;
  /** Rollouts this writer finalised (counters bumped by it), flushed ones only. */
  finalized = 0;
  flushes = 0;

  constructor(
    private readonly db: Db,
    private readonly options: RolloutWriterOptions,
  ) {
    this.maxOps = options.maxOps ?? 2_000;
    this.maxDelayMs = options.maxDelayMs ?? 25;
  }

  get durable(): boolean {
    return this.options.durable;
  }

  start(row: RolloutStart): void {
    this.ops.push(() => insertRolloutStart(this.db, row));
    if (this.options.durable) this.flush();
    else this.maybeFlush();
  }

  message(rolloutId: string, idx: number, message: Message): void {
    this.ops.push(() => insertRolloutMessage(this.db, rolloutId, idx, message));
    if (this.options.durable) this.flush();
    else this.maybeFlush();
  }

  /** `classRow`: the rollout's stored classification, written in the same transaction as the finalisation. */
  finalize(f: RolloutFinal, classRow?: RolloutClassRecord): void {
    this.ops.push(() => {
      if (!finalizeRollout(this.db, f)) return;
      this.pendingFinalized++;
      if (classRow) writeRolloutClass(this.db.$client, classRow);
    });
    if (this.options.durable) this.flush();
    else this.maybeFlush();
  }

  private pendingFinalized = 0;

  private maybeFlush(): void {
    if (this.ops.length >= this.maxOps || Date.now() - this.lastFlush >= this.maxDelayMs) this.flush();
  }

  /** Write everything queued, in order, in one transaction (retried briefly on SQLITE_BUSY). */
  flush(): void {
    this.lastFlush = Date.now();
    if (this.ops.length === 0) return;
    const batch = this.ops;
    this.ops = [];
    try {
      retryBusySync(() => {
        this.pendingFinalized = 0;
        this.db.$client
          .transaction(() => {
            for (const op of batch) op();
          })
          .immediate();
      }, 20);
    } catch (err) {
      throw new RolloutStorageError(err);
    }
    this.finalized += this.pendingFinalized;
    this.pendingFinalized = 0;
    this.flushes++;
  }
}
