/**
 * The training-run columns of the rollouts table that the timeline reads beside the columnar
 * data (lib/calibration/training-columns.ts fills the columns): step, and the trainer's
 * advantages. Whole experiment in one indexed scan, or some rollouts by id.
 */
import type { Db } from "../../../db/client";

const CHUNK = 500;

/** Rows of `ids`, in chunks (SQLite's parameter limit). */
function byIds<T>(db: Db, columns: string, ids: readonly string[], where: string): T[] {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    const rows = db.$client
      .prepare(`SELECT ${columns} FROM rollouts WHERE id IN (${part.map(() => "?").join(",")})${where}`)
      .raw(true)
      .all(...part) as T[];
    for (const r of rows) out.push(r);
  }
  return out;
}

/** [rollout id, step] of the experiment's rollouts (all of them when `ids` is null) that have a step. */
export function readSteps(db: Db, experimentId: number, ids: readonly string[] | null): [string, number][] {
  if (ids === null) {
    return db.$client.prepare("SELECT id, step FROM rollouts WHERE experiment_id = ? AND step IS NOT NULL").raw(true).all(experimentId) as [string, number][];
  }
  return byIds<[string, number]>(db, "id, step", ids, " AND step IS NOT NULL");
}

export type TrainerRow = [id: string, trainerAdvantage: number | null, trainerTurnAdvantages: string | null, trainerReward: number | null];

/** The trainer's advantages and reward of the experiment's training rollouts (those with a step) when `ids` is null, else of `ids`. */
export function readTrainerAdvantages(db: Db, experimentId: number, ids: readonly string[] | null): TrainerRow[] {
  const columns = "id, trainer_advantage, trainer_turn_advantages, trainer_reward";
  if (ids === null) {
    return db.$client.prepare(`SELECT ${columns} FROM rollouts WHERE experiment_id = ? AND step IS NOT NULL`).raw(true).all(experimentId) as TrainerRow[];
  }
  return byIds<TrainerRow>(db, columns, ids, "");
}
