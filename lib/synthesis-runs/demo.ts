/**
 * The demo task set seeded on first start (lib/demo/steps.ts): a 5 × 5 W × B grid, 2 tasks
 * per cell, on the default generated environment. Built synchronously inside the seed
 * step's transaction (about a second) so later seed steps, such as a demo experiment, can
 * rely on its tasks existing. Its name is stable: other seed steps look it up by name.
 */
import type { DbOrTx } from "../../db/client";
import { getDefaultEnvironment } from "../environment-sources/rows";
import { resolveEnvironment } from "../environment-sources/resolve";
import { sourceOfRow } from "../environment-sources/rows";
import { parseSynthesisConfig, type SynthesisConfigInput } from "../synthesis/config";
import { createTaskSet, getTaskSetByName, insertTasks, setTaskSetReport } from "./store";
import { synthesizeTasks } from "../synthesis/synthesize";

export const DEMO_TASK_SET_NAME = "Demo: WRIT 5×5 grid";
export const DEMO_WRITES = [1, 2, 3, 4, 5] as const;
export const DEMO_EVIDENCE = [1, 2, 4, 8, 16] as const;

export const DEMO_SYNTHESIS_CONFIG: SynthesisConfigInput = {
  grid: DEMO_WRITES.flatMap((writes) => DEMO_EVIDENCE.map((evidence) => ({ writes, evidence, count: 2 }))),
  behaviors: { cooperative: 3, progressive_disclosure: 1, no_ids: 1, terse: 1, split_request: 1, non_native: 1 },
  seed: 7,
};

/** Create the demo set unless one with its name exists; returns its id. */
export function seedDemoTaskSet(tx: DbOrTx): number {
  const existing = getTaskSetByName(tx, DEMO_TASK_SET_NAME);
  if (existing) return existing.id;
  const envRow = getDefaultEnvironment(tx);
  const env = resolveEnvironment(sourceOfRow(envRow));
  const config = parseSynthesisConfig(DEMO_SYNTHESIS_CONFIG);
  const { tasks, report } = synthesizeTasks(config, { state: env.state, stateSeed: env.stateSeed });
  const set = createTaskSet(tx, {
    name: DEMO_TASK_SET_NAME,
    environmentId: envRow.id,
    source: "synthesized",
    config,
    status: "ready",
  });
  insertTasks(tx, set.id, tasks);
  setTaskSetReport(tx, set.id, tasks.length, report);
  return set.id;
}
