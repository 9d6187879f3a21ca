/**
 * What a scoring request needs from the database: the iteration (by id or `latest`), the task
 * and the base state it is scored against. Iterations are immutable (no update path exists),
 * so a resolved one is cached per database and id; tasks and base states are cached per task
 * set (a task set's tasks are written once, when it is synthesized or imported). Caches are
 * bounded, so a long training job keeps flat memory.
 */
import { desc, eq, and } from "drizzle-orm";
import type { Db } from "../../db/client";
import { experiments, rewardConfigs, tasks } from "../../db/schema";
import type { AirlineState } from "../airline/schema";
import { parseConfigInput } from "../calibration/config-input";
import { latestIteration } from "../calibration/iterations";
import { resolveScoring, type Scoring } from "../experiments/store";
import { AppError, ValidationError } from "../errors/app-error";
import type { RewardConfig, TierName } from "../rewards";
import type { Task } from "../types/task";

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

class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, value: V): void {
    this.map.set(key, value);
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }
  clear(): void {
    this.map.clear();
  }
}

interface Caches {
  iterations: Lru<ResolvedIteration>;
  tasks: Lru<ResolvedTask>;
  scoring: Lru<Scoring>;
}
const holder = globalThis as typeof globalThis & { __writRewardServing?: Caches };
function caches(): Caches {
  holder.__writRewardServing ??= { iterations: new Lru(256), tasks: new Lru(2048), scoring: new Lru(16) };
  return holder.__writRewardServing;
}

/** Tests that rebuild a database under the same path. */
export function clearRewardServingCaches(): void {
  const c = caches();
  c.iterations.clear();
  c.tasks.clear();
  c.scoring.clear();
}

const dbName = (db: Db) => db.$client.name;

function fromRow(db: Db, row: typeof rewardConfigs.$inferSelect): ResolvedIteration {
  const metrics = row.metrics as { rho?: Partial<Record<TierName, number | null>> } | null;
  const taskSetId =
    row.experimentId === null ? null : (db.select({ t: experiments.taskSetId }).from(experiments).where(eq(experiments.id, row.experimentId)).get()?.t ?? null);
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
      const row = db.select({ id: rewardConfigs.id }).from(rewardConfigs).orderBy(desc(rewardConfigs.createdAt), desc(rewardConfigs.id)).limit(1).get();
      if (!row) throw new AppError("not_found", "no saved reward-config iteration yet: save one in the calibration workbench", 404, { field: "iteration" });
      id = row.id;
    }
    return resolveIteration(db, String(id));
  }
  const id = Number(param);
  if (!Number.isSafeInteger(id) || id <= 0) throw new ValidationError(`iteration must be a positive integer id or "latest" (got ${JSON.stringify(param)})`, "iteration");
  const key = `${dbName(db)}#${id}`;
  const hit = caches().iterations.get(key);
  if (hit) return hit;
  const row = db.select().from(rewardConfigs).where(eq(rewardConfigs.id, id)).get();
  if (!row) throw new AppError("not_found", `reward-config iteration ${id} not found`, 404, { field: "iteration" });
  const it = fromRow(db, row);
  caches().iterations.set(key, it);
  return it;
}

function scoringOf(db: Db, taskSetId: number): Scoring {
  const key = `${dbName(db)}#${taskSetId}`;
  let s = caches().scoring.get(key);
  if (!s) {
    s = resolveScoring(db, taskSetId);
    caches().scoring.set(key, s);
  }
  return s;
}

/** The task `taskId` of `taskSetId`; a 404 naming `field` when the set has no such task. */
export function resolveTask(db: Db, taskSetId: number | null, taskId: string, field = "task_id"): ResolvedTask {
  if (taskSetId === null) {
    throw new ValidationError("this iteration belongs to no experiment with a task set: pass task_set_id", "task_set_id");
  }
  const key = `${dbName(db)}#${taskSetId}#${taskId}`;
  const hit = caches().tasks.get(key);
  if (hit) return hit;
  const row = db
    .select({ body: tasks.body })
    .from(tasks)
    .where(and(eq(tasks.taskSetId, taskSetId), eq(tasks.taskId, taskId)))
    .get();
  if (!row) throw new AppError("not_found", `task ${JSON.stringify(taskId)} is not in task set ${taskSetId}`, 404, { field });
  const resolved = { task: row.body, baseState: scoringOf(db, taskSetId).baseFor(row.body), taskSetId };
  caches().tasks.set(key, resolved);
  return resolved;
}
