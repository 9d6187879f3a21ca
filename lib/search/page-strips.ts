/**
 * The strips (turn tier, reward, advantage) of one page of search rows, from the page's groups
 * only: a search without a tier or misalignment filter shows strips for its page and needs no
 * other rollout's classes, so it does not load the experiment into the calibration store (the
 * first search of a 100k-rollout experiment would otherwise classify or read every rollout).
 *
 * Same numbers, bit for bit, as the store's path (./turn-flags.ts): advantages are normalised
 * within a group, so the page's groups are loaded whole (finished rollouts, in the store's
 * finished order, so every group sum runs in the same order), from the same class blobs:
 * stored default-key rows, and for a rollout without a current row (or under another
 * classification) a classification of its stored messages against the task's gold actions.
 * Default-key rows built here are written back, as the store's lazy backfill does.
 */
import type { Db } from "../../db/client";
import { appendRows, computeTurnValues, createColumnar, toCompactRow, type ColumnarRollouts, type CompactRolloutRow } from "../analysis";
import { classBlobOf, DEFAULT_CLASS_KEY, columnarFromClasses, type ClassRowTuple, type RolloutClassRecord } from "../calibration/class-store";
import { isCurrentBlob } from "../calibration/class-store-blob";
import { classifyOptionsOf } from "../calibration/experiment-data";
import { readTaskGold } from "../calibration/store/annotations";
import { writeBackClasses } from "../calibration/store/class-rows";
import { classificationKey, classifyRollout, type ClassifyOptions, type GoldAction, type RewardConfig } from "../rewards";
import type { Rollout } from "../types/rollout";
import { readClassifiedMessages, readGroupClassRows } from "./store";
import type { TurnValues } from "./turn-flags";

/** The store's finished order (lib/calibration/experiment-entry.ts loadFromClasses): finished_at, then id. */
function finishedOrder(a: ClassRowTuple, b: ClassRowTuple): number {
  return (a[8] ?? 0) - (b[8] ?? 0) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
}

/** Gold actions by task, read once per task of the page. */
function goldReader(db: Db, experimentId: number): (taskId: string) => GoldAction[] {
  const gold = new Map<string, GoldAction[]>();
  return (taskId) => {
    let g = gold.get(taskId);
    if (!g) gold.set(taskId, (g = readTaskGold(db, experimentId, taskId)));
    return g;
  };
}

/**
 * Default-key data from the rows' stored blobs; a rollout without a current blob is classified
 * from its messages and its row written back (the store's lazy backfill, experiment-entry.ts classBlobs).
 */
function defaultKeyData(db: Db, experimentId: number, rows: ClassRowTuple[]): ColumnarRollouts {
  const missing = rows.filter((r) => !isCurrentBlob(r[9]));
  if (missing.length) {
    const messages = readClassifiedMessages(db, missing.map((r) => r[0]));
    const goldOf = goldReader(db, experimentId);
    const written: RolloutClassRecord[] = [];
    for (const r of missing) {
      // A finished rollout without stored messages has zero turns (stored too, as in the store).
      const blob = classBlobOf(messages.get(r[0]) ?? [], goldOf(r[2]));
      r[9] = blob;
      written.push({ rolloutId: r[0], experimentId, classKey: DEFAULT_CLASS_KEY, nTurns: blob.readUInt32LE(4), data: blob });
    }
    writeBackClasses(db, written);
  }
  return columnarFromClasses(rows).data;
}

/** Data under another classification: each rollout's messages classified as the store does (experiment-entry.ts compactRow, classifyInto). */
function otherKeyData(db: Db, experimentId: number, rows: readonly ClassRowTuple[], options: ClassifyOptions): ColumnarRollouts {
  const messages = readClassifiedMessages(db, rows.map((r) => r[0]));
  const goldOf = goldReader(db, experimentId);
  const compact: CompactRolloutRow[] = rows.map((r) => {
    const outcome = r[4] === 1 ? 1 : 0;
    const stored = messages.get(r[0]);
    if (!stored) return { rollout_id: r[0], group_id: r[1], task_id: r[2], outcome, masks: [] };
    const rollout = { rollout_id: r[0], task_id: r[2], group_id: r[1], sample_index: r[3], outcome, reward: 0, termination: "user_stop", messages: stored } as Rollout;
    return toCompactRow(classifyRollout(rollout, options, goldOf(r[2])));
  });
  return appendRows(createColumnar(classificationKey(options), Math.max(16, compact.length * 8), Math.max(16, compact.length)), compact);
}

/** Turn values of the finished rollouts in the groups of `ids` under `config` (a rollout still running is not in them). */
export function pageTurnValues(db: Db, experimentId: number, config: RewardConfig, ids: readonly string[]): TurnValues {
  const rows = readGroupClassRows(db, experimentId, ids).sort(finishedOrder);
  const options = classifyOptionsOf(config);
  const data = classificationKey(options) === DEFAULT_CLASS_KEY ? defaultKeyData(db, experimentId, rows) : otherKeyData(db, experimentId, rows, options);
  const v = computeTurnValues(data, config);
  const index = new Map<string, number>();
  for (let i = 0; i < data.nRollouts; i++) index.set(data.rolloutIds[i], i);
  return {
    index,
    offsets: Int32Array.from(data.turnOffsets.subarray(0, data.nRollouts + 1)),
    tier: v.tier.slice(),
    reward: v.reward.slice(),
    adv: v.adv.slice(),
    ao: v.ao.slice(),
  };
}
