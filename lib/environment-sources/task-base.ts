/**
 * The base state a task is read against: its set's environment when it has one, else the
 * generated state of the seed the task records (writ.state_seed), else the default seed.
 */
import type { DbOrTx } from "../../db/client";
import { DEFAULT_STATE_SEED, type AirlineState } from "../airline";
import type { Task } from "../types/task";
import { resolveRow } from "./load";
import { resolveEnvironment } from "./resolve";
import { getEnvironment } from "./rows";

export function loadTaskBase(
  db: DbOrTx,
  environmentId: number | null,
  task: Task,
): { state: AirlineState; label: string; environmentId: number | null } {
  const row = environmentId !== null ? getEnvironment(db, environmentId) : undefined;
  if (row) return { state: resolveRow(row).state, label: row.name, environmentId: row.id };
  const seed = task.writ?.state_seed ?? DEFAULT_STATE_SEED;
  const env = resolveEnvironment({ kind: "generated", seed });
  return { state: env.state, label: `generated (seed ${seed})`, environmentId: null };
}
