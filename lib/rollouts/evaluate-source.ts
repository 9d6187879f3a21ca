/**
 * Where the evaluation commands get tasks and base states: a τ² domain directory
 * (--domain-dir, else $TAU2_DATA_DIR) or the project's generated state (seed from the
 * task's writ.state_seed, else --state-seed, else DEFAULT_STATE_SEED).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { loadDomainDir, loadTasksFile } from "../airline/load";
import { DEFAULT_STATE_SEED, getGeneratedState } from "../airline/generate";
import type { AirlineState } from "../airline/schema";
import type { Task } from "../types/task";

export interface TaskSource {
  tasks: Task[];
  /** The base state a task is scored against. */
  baseFor(task: Task): AirlineState;
  label: string;
}

export class TaskSourceError extends Error {}

export function resolveTaskSource(opts: { domainDir?: string; tasksFile?: string; stateSeed?: number; env?: Record<string, string | undefined> }): TaskSource {
  const env = opts.env ?? process.env;
  const domainDir = opts.domainDir ?? (env.TAU2_DATA_DIR ? env.TAU2_DATA_DIR : undefined);
  if (domainDir) {
    const domain = loadDomainDir(domainDir);
    const tasks = opts.tasksFile ? loadTasksFile(opts.tasksFile) : domain.tasks;
    return { tasks, baseFor: () => domain.state, label: domain.dbFile };
  }
  if (!opts.tasksFile) throw new TaskSourceError("--tasks is required without --domain-dir (and TAU2_DATA_DIR is not set)");
  if (!existsSync(opts.tasksFile)) throw new TaskSourceError(`${opts.tasksFile}: file not found`);
  const tasks = loadTasksFile(opts.tasksFile);
  return {
    tasks,
    baseFor: (task) => getGeneratedState(task.writ?.state_seed ?? opts.stateSeed ?? DEFAULT_STATE_SEED),
    label: `generated state (seed ${opts.stateSeed ?? "from each task, default " + DEFAULT_STATE_SEED})`,
  };
}

export function defaultTasksPath(dir: string): string {
  return join(dir, "tasks.json");
}
