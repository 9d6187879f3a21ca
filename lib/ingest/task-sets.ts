/**
 * The task set a training run is declared on, and its tasks, cached per process: every group
 * that lands needs its task (gold actions, W / B cell) and the base state it is scored on, and
 * a step brings hundreds of groups. Tasks of a stored set do not change; a task id the set does
 * not know is looked up again (never cached as missing) and then reported as an error.
 */
import type { Db } from "../../db/client";
import type { AirlineState } from "../airline";
import { createCache } from "../cache/lru";
import { resolveScoring, taskRefOf, type Scoring, type TaskRef } from "../rollouts/store/run-tasks";
import type { Task } from "../types/task";
import { databaseKey, findTaskBody, findTaskSetById, findTaskSetByName } from "./store/task-sets";

export interface RunTask {
  task: Task;
  ref: TaskRef;
  baseState: AirlineState;
}

interface SetEntry {
  scoring: Scoring;
  tasks: Map<string, RunTask>;
}

const sets = createCache<SetEntry>({
  name: "ingest.task-sets",
  maxEntries: 16,
  purpose: "a training run's task set: its scoring base and the tasks groups have asked for so far",
});

/** A task set by id (a number or a numeric string) or by its exact name; undefined when none matches. */
export function resolveTaskSet(db: Db, ref: number | string): { id: number; name: string } | undefined {
  const byId = typeof ref === "number" ? ref : /^\d+$/.test(ref) ? Number(ref) : null;
  if (byId !== null) {
    const row = findTaskSetById(db, byId);
    if (row || typeof ref === "number") return row;
  }
  return findTaskSetByName(db, String(ref));
}

function entryOf(db: Db, taskSetId: number): SetEntry {
  const key = `${databaseKey(db)}#${taskSetId}`;
  let e = sets.get(key);
  if (!e) {
    e = { scoring: resolveScoring(db, taskSetId), tasks: new Map() };
    sets.set(key, e);
  }
  return e;
}

/** The task `taskId` of the set with its base state, or undefined when the set has no such task. */
export function runTask(db: Db, taskSetId: number, taskId: string): RunTask | undefined {
  const e = entryOf(db, taskSetId);
  const hit = e.tasks.get(taskId);
  if (hit) return hit;
  const body = findTaskBody(db, taskSetId, taskId);
  if (!body) return undefined;
  const rt: RunTask = { task: body, ref: taskRefOf(body), baseState: e.scoring.baseFor(body) };
  e.tasks.set(taskId, rt);
  return rt;
}

/** Tests that rebuild a database under the same path. */
export function clearIngestTaskCache(): void {
  sets.clear();
}
