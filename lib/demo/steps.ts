/**
 * The demo seed steps, in order. To add one: write `{ key, description, run(tx) }` (run is
 * synchronous and gets a transaction) and append it here. Keep keys stable: a new key
 * runs once on every existing database; changing a key runs the step again.
 */
import type { DbOrTx } from "../../db/client";
import { enqueueJob } from "../jobs/store/enqueue";
import { seedDemoTaskSet } from "../synthesis-runs/demo";
import { seedDemoExperiment } from "../experiments/demo";

export interface SeedStep {
  key: string;
  description: string;
  run(tx: DbOrTx): void;
}

const demoJobs: SeedStep = {
  key: "demo-jobs-v1",
  description: "a few demo jobs so the Jobs page is not empty",
  run(tx) {
    enqueueJob(tx, "demo.sleep", { steps: 5, stepMs: 400 });
    enqueueJob(tx, "demo.noop", { tag: "hello" });
  },
};

const demoTaskSet: SeedStep = {
  key: "demo-task-set-v1",
  description: 'the "Demo: WRIT 5×5 grid" task set (2 tasks per W × B cell) on the default generated environment',
  run(tx) {
    seedDemoTaskSet(tx);
  },
};

const demoExperiment: SeedStep = {
  key: "demo-experiment-v1",
  description: 'the "Demo: simulated agents (mixed presets)" experiment on the demo task set (8 samples per task, run live by the worker)',
  run(tx) {
    seedDemoExperiment(tx);
  },
};

export const seedSteps: SeedStep[] = [demoJobs, demoTaskSet, demoExperiment];
