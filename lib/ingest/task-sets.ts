/**
 * The task set a training run is declared on, and its tasks, cached per process: every group
 * that lands needs its task (gold actions, W / B cell) and the base state it is scored on, and
 * a step brings hundreds of groups. Tasks of a stored set do not change; a task id the set does
 * not know is looked up again (never cached as missing) and then reported as an error.
 */
import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { taskSets, tasks } from "../../db/schema";
import type { AirlineState } from "../airline";
import { resolveScoring, taskRefOf, type Scoring, type TaskRef } from "../experiments/store";
import type { Task } from "../types/task";

export interface RunTask {
  task: Task;
  ref: TaskRef;
  baseState: AirlineState;
}

interface SetEntry {
  scoring: Scoring;
  tasks: Map<string, RunTask>;
}

const MAX_SETS = 16;
const holder = globalThis as typeof globalThis & { __writIngestTaskSets?: Map<string, SetEntry> };
function sets(): Map<string, SetEntry> {
  holder.__writIngestTaskSets ??= new Map();
  return holder.__writIngestTaskSets;
}

/** A task set by id (a number or a numeric string) or by its exact name; undefined when none matches. */
export function resolveTaskSet(db: Db, ref: number | string): { id: number; name: string } | undefined {
  const byId = typeof ref === "number" ? ref : /^\d+$/.test(ref) ? Number(ref) : null;
  if (byId !== null) {
    const row = db.select({ id: taskSets.id, name: taskSets.name }).from(taskSets).where(eq(taskSets.id, byId)).get();
    if (row || typeof ref === "number") return row;
  }
  return db.select({ id: taskSets.id, name: taskSets.name }).from(taskSets).where(eq(taskSets.name, String(ref))).get();
}

function entryOf(db: Db, taskSetId: number): SetEntry {
  const key = `${db.$client.name}#${taskSetId}`;
  const map = sets();
  let e = map.get(key);
  if (!e) {
    e = { scoring: resolveScoring(db, taskSetId), tasks: new Map() };
    map.set(key, e);
    while (map.size > MAX_SETS) map.delete(map.keys().next().value as string);
  }
  return e;
}

/** The task `taskId` of the set with its base state, or undefined when the set has no such task. */
export function runTask(db: Db, taskSetId: number, taskId: string): RunTask | undefined {
  const e = entryOf(db, taskSetId);
  const hit = e.tasks.get(taskId);
  if (hit) return hit;
  const row = db.select({ body: tasks.body }).from(tasks).where(and(eq(tasks.taskSetId, taskSetId), eq(tasks.taskId, taskId))).get();
  if (!row) return undefined;
  const rt: RunTask = { task: row.body, ref: taskRefOf(row.body), baseState: e.scoring.baseFor(row.body) };
  e.tasks.set(taskId, rt);
  return rt;
}

/** Tests that rebuild a database under the same path. */
export function clearIngestTaskCache(): void {
  sets().clear();
}
