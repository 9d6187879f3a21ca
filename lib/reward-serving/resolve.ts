/**
 * What a scoring request needs from the database: the iteration (by id or `latest`), the task
 * and the base state it is scored against. Iterations are immutable (no update path exists),
 * so a resolved one is cached per database and id; tasks and base states are cached per task
 * set (a task set's tasks are written once, when it is synthesized or imported). Caches are
 * bounded, so a long training job keeps flat memory.
 */
import type { Db } from "../../db/client";
import type { AirlineState } from "../airline/schema";
import { createCache } from "../cache/lru";
import { parseConfigInput } from "../calibration/config-input";
import { latestIteration } from "../calibration/iterations";
import { resolveScoring, type Scoring } from "../rollouts/store/run-tasks";
import { AppError, ValidationError } from "../errors/app-error";
import type { RewardConfig, TierName } from "../rewards";
import type { Task } from "../types/task";
import { databaseKey, experimentTaskSetId, findTaskBody, getRewardConfigRow, latestRewardConfigId, type RewardConfigRow } from "./store";

export interface ResolvedIteration {
  id: number;
  experimentId: number | null;
  config: RewardConfig;
  /** reward_configs.hash: the content hash of the full config. */
  hash: string;
  /** Tier rho of the iteration's metrics snapshot (for the per-group mismatch flags). */
  rho: Partial<Record<TierName, number | null>> | null;
  taskSetId: number | null;
}

export interface ResolvedTask {
  task: Task;
  baseState: AirlineState;
  taskSetId: number;
}

const iterationCache = createCache<ResolvedIteration>({
  name: "reward-serving.iterations",
  maxEntries: 256,
  purpose: "resolved reward-config iterations by database and id (iterations are immutable)",
});
const taskCache = createCache<ResolvedTask>({
  name: "reward-serving.tasks",
  maxEntries: 2048,
  purpose: "tasks scored by the reward API with their base state, by database, task set and task id",
});
const scoringCache = createCache<Scoring>({
  name: "reward-serving.scoring",
  maxEntries: 16,
  purpose: "a task set's scoring base (environment state and policy), by database and task set",
});

/** Tests that rebuild a database under the same path. */
export function clearRewardServingCaches(): void {
  iterationCache.clear();
  taskCache.clear();
  scoringCache.clear();
}

function fromRow(db: Db, row: RewardConfigRow): ResolvedIteration {
  const metrics = row.metrics as { rho?: Partial<Record<TierName, number | null>> } | null;
  const taskSetId = row.experimentId === null ? null : experimentTaskSetId(db, row.experimentId);
  return { id: row.id, experimentId: row.experimentId, config: parseConfigInput(row.config), hash: row.hash, rho: metrics?.rho ?? null, taskSetId };
}

/**
 * `{iteration}` of the URL: a reward_configs id, or `latest` = the newest saved iteration
 * (of `experimentId` when given, seeding its first iteration as the workbench does; else of
 * the whole project).
 */
export function resolveIteration(db: Db, param: string, experimentId?: number): ResolvedIteration {
  if (param === "latest") {
    let id: number;
    if (experimentId !== undefined) id = latestIteration(db, experimentId).id;
    else {
      const latest = latestRewardConfigId(db);
      if (latest === undefined) throw new AppError("not_found", "no saved reward-config iteration yet: save one in the calibration workbench", 404, { field: "iteration" });
      id = latest;
    }
    return resolveIteration(db, String(id));
  }
  const id = Number(param);
  if (!Number.isSafeInteger(id) || id <= 0) throw new ValidationError(`iteration must be a positive integer id or "latest" (got ${JSON.stringify(param)})`, "iteration");
  const key = `${databaseKey(db)}#${id}`;
  const hit = iterationCache.get(key);
  if (hit) return hit;
  const row = getRewardConfigRow(db, id);
  if (!row) throw new AppError("not_found", `reward-config iteration ${id} not found`, 404, { field: "iteration" });
  const it = fromRow(db, row);
  iterationCache.set(key, it);
  return it;
}

function scoringOf(db: Db, taskSetId: number): Scoring {
  const key = `${databaseKey(db)}#${taskSetId}`;
  let s = scoringCache.get(key);
  if (!s) {
    s = resolveScoring(db, taskSetId);
    scoringCache.set(key, s);
  }
  return s;
}

/** The task `taskId` of `taskSetId`; a 404 naming `field` when the set has no such task. */
export function resolveTask(db: Db, taskSetId: number | null, taskId: string, field = "task_id"): ResolvedTask {
  if (taskSetId === null) {
    throw new ValidationError("this iteration belongs to no experiment with a task set: pass task_set_id", "task_set_id");
  }
  const key = `${databaseKey(db)}#${taskSetId}#${taskId}`;
  const hit = taskCache.get(key);
  if (hit) return hit;
  const body = findTaskBody(db, taskSetId, taskId);
  if (!body) throw new AppError("not_found", `task ${JSON.stringify(taskId)} is not in task set ${taskSetId}`, 404, { field });
  const resolved = { task: body, baseState: scoringOf(db, taskSetId).baseFor(body), taskSetId };
  taskCache.set(key, resolved);
  return resolved;
}
