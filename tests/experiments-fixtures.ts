/** Test fixtures for the experiments tests: a small synthesized task set stored in a temp db. */
import type { Db } from "../db/client";
import { createTaskSet, insertTasks } from "../lib/synthesis-runs/store";
import { BEHAVIORS, synthesizeTasks } from "../lib/synthesis";
import { taskSets } from "../db/schema";
import { eq } from "drizzle-orm";
import type { Task } from "../lib/types/task";

const cache = new Map<string, Task[]>();

/** `cells` grid cells (W, B) with `count` tasks each, on the default generated state. */
export function synthesizeSmall(grid: { writes: number; evidence: number; count: number }[], seed = 7): Task[] {
  const key = JSON.stringify({ grid, seed });
  let tasks = cache.get(key);
  if (!tasks) {
    tasks = synthesizeTasks({ grid, seed, behaviors: Object.fromEntries(BEHAVIORS.map((b) => [b, 1])) }).tasks;
    cache.set(key, tasks);
  }
  return tasks;
}

export function insertTaskSet(db: Db, name: string, tasks: readonly Task[]): number {
  const set = createTaskSet(db, { name, environmentId: null, source: "synthesized", status: "ready" });
  insertTasks(db, set.id, tasks);
  db.update(taskSets).set({ taskCount: tasks.length }).where(eq(taskSets.id, set.id)).run();
  return set.id;
}
