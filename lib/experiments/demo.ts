/**
 * The demo experiment seeded on first start (lib/demo/steps.ts, after the demo task set):
 * "Demo: simulated agents (mixed presets)" on "Demo: WRIT 5×5 grid", group size 8, the
 * simulated agent's preset varying by sample index (2 expert, 2 average, 4 sloppy per
 * group; each rollout's `preset` column / metadata records which). It is run by a worker
 * through the ordinary rollouts.run job, so a new user watches it fill in live; the W × B
 * heatmap then shows the sloppy agent's pass rate falling as B (evidence per decision) grows.
 */
import type { DbOrTx } from "../../db/client";
import { getExperimentByName } from "./store/experiments";
import { DEMO_TASK_SET_NAME, seedDemoTaskSet } from "../synthesis-runs/demo";
import { getTaskSetByName } from "../synthesis-runs/store";
import { createExperiment } from "./create-experiment";

export const DEMO_EXPERIMENT_NAME = "Demo: simulated agents (mixed presets)";
export const DEMO_PRESETS_BY_SAMPLE = ["expert", "average", "sloppy", "sloppy", "expert", "average", "sloppy", "sloppy"] as const;

export function seedDemoExperiment(tx: DbOrTx): number {
  const existing = getExperimentByName(tx, DEMO_EXPERIMENT_NAME);
  if (existing) return existing.id;
  // The task-set step runs first; creating it here too (idempotent by name) keeps this step safe on its own.
  const setId = getTaskSetByName(tx, DEMO_TASK_SET_NAME)?.id ?? seedDemoTaskSet(tx);
  const { experiment } = createExperiment(
    tx,
    {
      name: DEMO_EXPERIMENT_NAME,
      task_set_id: setId,
      agent: { kind: "simulated", preset: "average", presets_by_sample: [...DEMO_PRESETS_BY_SAMPLE] },
      user: { kind: "simulated" },
      group_size: DEMO_PRESETS_BY_SAMPLE.length,
      max_turns: 150,
      max_errors: 10,
      seed: 1,
      concurrency: 8,
    },
    {
      allowPendingTaskSet: true,
      metadata: { demo: true, note: "Simulated agent presets by sample index: 0,4 expert; 1,5 average; 2,3,6,7 sloppy." },
    },
  );
  return experiment.id;
}
