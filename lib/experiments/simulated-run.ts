/**
 * A ready task set and a queued experiment that plays it with the simulated agent (a preset
 * per sample index) and the simulated user: what the worker warm-up and the rollout bench run.
 */
import type { DbOrTx } from "../../db/client";
import type { AgentPreset } from "../agents/simulated/presets";
import { createTaskSet, insertTasks } from "../synthesis-runs/store";
import type { Task } from "../types/task";
import { createExperiment } from "./create-experiment";

export interface SimulatedRunSpec {
  name: string;
  tasks: readonly Task[];
  presetsBySample: readonly AgentPreset[];
  groupSize: number;
  concurrency?: number;
  maxTurns?: number;
}

export function createSimulatedRun(db: DbOrTx, spec: SimulatedRunSpec): ReturnType<typeof createExperiment> {
  const set = createTaskSet(db, { name: spec.name, environmentId: null, source: "synthesized", status: "ready" });
  insertTasks(db, set.id, spec.tasks);
  return createExperiment(db, {
    name: spec.name,
    task_set_id: set.id,
    agent: { kind: "simulated", preset: "average", presets_by_sample: [...spec.presetsBySample] },
    user: { kind: "simulated" },
    group_size: spec.groupSize,
    concurrency: spec.concurrency ?? 16,
    max_turns: spec.maxTurns ?? 30,
  });
}
