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
 * `finish()` scores the played rollout (evaluator, policy checker, classification; ../sink.ts
 * scoredFinal) and queues its finalisation: scoring belongs to storing, so the rollout store
 * thread (./thread.ts), which runs this same writer, takes both off the playing thread.
 */
import type { Db } from "../../../db/client";
import { retryBusySync } from "../../../db/retry";
import {
  finalizeRollout,
  insertRolloutMessage,
  insertRolloutStart,
  type RolloutFinal,
  type RolloutStart,
} from "../../../db/queries/rollouts";
import type { RolloutClassRecord } from "../../calibration/class-store";
import { writeRolloutClass } from "../../calibration/store/class-rows";
import type { Message } from "../../types/messages";
import type { PlayedRollout, ScoreWork } from "../perform-rollout";
import { BATCH_MAX_DELAY_MS, BATCH_MAX_OPS, RolloutStorageError, scoredFinal, type RolloutSink } from "../sink";

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
