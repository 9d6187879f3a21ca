/**
 * Training-run columns beside an experiment's columnar data, read from the rollouts table: the
 * step of each rollout (lib/analysis/timeline-steps.ts; -1 for experiments that are not training
 * runs), the trainer's advantage of each turn and the trainer's reward of each rollout. One scan
 * of the experiment the first time, then only the rollouts appended since.
 */
import type { Db } from "../../db/client";
import type { ColumnarRollouts } from "../analysis";
import { fillStepColumn } from "../analysis/timeline-steps";
import { readSteps, readTrainerAdvantages, type TrainerRow } from "./store/training-columns";

export function attachStepColumn(db: Db, experimentId: number, data: ColumnarRollouts): Int32Array {
  return fillStepColumn(data, (ids, all) => new Map(readSteps(db, experimentId, all ? null : ids)));
}

interface TrainerColumn {
  values: Float64Array;
  /** Per rollout: the trainer's reward, NaN = none. */
  rewards: Float64Array;
  /** Rollouts [0, filledRollouts) are filled (their turns [0, turnOffsets[filledRollouts])). */
  filledRollouts: number;
}
// A WeakMap, not createCache: keyed by the columnar data's identity and released with it (the
// experiment cache, lib/calibration/experiment-data.ts, bounds how many live), like the step
// column beside it (lib/analysis/timeline-steps.ts).
const trainerColumns = new WeakMap<ColumnarRollouts, TrainerColumn>();

/**
 * The trainer's advantage per turn (NaN = none): its per-turn advantages when it sent them (index k
 * = k-th agent turn, the turn numbering of the columnar data), else its trajectory advantage on
 * every turn of the rollout; and the trainer's reward per rollout (NaN = none), which TRL's
 * frac_reward_zero_std is computed on. Filled incrementally like the step column.
 */
export function attachTrainerColumns(db: Db, experimentId: number, data: ColumnarRollouts): { turnAdvantage: Float64Array; reward: Float64Array } {
  let col = trainerColumns.get(data);
  const R = data.nRollouts;
  const T = data.nTurns;
  if (col && col.filledRollouts >= R) return { turnAdvantage: col.values, reward: col.rewards };
  const from = col?.filledRollouts ?? 0;
  if (!col || col.values.length < T || col.rewards.length < R) {
    const values = new Float64Array(Math.max(T, (col?.values.length ?? 0) * 2, 64)).fill(NaN);
    const rewards = new Float64Array(Math.max(R, (col?.rewards.length ?? 0) * 2, 64)).fill(NaN);
    if (col) {
      values.set(col.values.subarray(0, data.turnOffsets[from]));
      rewards.set(col.rewards.subarray(0, from));
    }
    col = { values, rewards, filledRollouts: from };
    trainerColumns.set(data, col);
  }
  const rows = new Map<string, [number | null, string | null, number | null]>();
  const list: TrainerRow[] = readTrainerAdvantages(db, experimentId, from === 0 ? null : data.rolloutIds.slice(from, R));
  for (const [id, a, turns, reward] of list) if (a !== null || turns !== null || reward !== null) rows.set(id, [a, turns, reward]);
  const { values, rewards } = col;
  for (let i = from; i < R; i++) {
    const s = data.turnOffsets[i];
    const e = data.turnOffsets[i + 1];
    const row = rows.get(data.rolloutIds[i]);
    if (!row) continue;
    if (row[2] !== null) rewards[i] = row[2];
    let perTurn: unknown = null;
    if (row[1] !== null) {
      try {
        perTurn = JSON.parse(row[1]);
      } catch {
        perTurn = null;
      }
    }
    for (let t = s; t < e; t++) {
      const k = t - s;
      const v = Array.isArray(perTurn) ? perTurn[k] : undefined;
      values[t] = typeof v === "number" ? v : row[0] !== null ? row[0] : NaN;
    }
  }
  col.filledRollouts = R;
  return { turnAdvantage: values, reward: rewards };
}
