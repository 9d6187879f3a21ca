/**
 * The demo experiment's pipeline in-process, with no database: synthesize the demo task set
 * (lib/synthesis-runs/demo's config on the default generated environment), run the simulated
 * drivers with the seeds the rollouts.run job uses (mixSeed(seed, position, sample)), and
 * build columnar data. Used by tests/demo-pattern.test.ts and scripts/demo-pattern.ts to check
 * that the demo shows the paper's pattern (a positively rewarded tier with negative mean
 * advantage under NAIVE_V5 / MT-GRPO, removed by the hybrid estimator or CALIBRATED).
 */
import { AIRLINE_TOOL_SCHEMAS, DEFAULT_STATE_SEED } from "../airline";
import { createAgentDriver, createUserDriver } from "../agents/factory";
import type { AgentPreset } from "../agents/simulated/presets";
import { buildColumnar, type ColumnarRollouts } from "../analysis";
import { resolveEnvironment } from "../environment-sources/resolve";
import { classificationKey, NAIVE_V5 } from "../rewards";
import { runGroupBatch } from "../rollouts/run-rollout";
import { parseSynthesisConfig } from "../synthesis/config";
import { DEMO_SYNTHESIS_CONFIG } from "../synthesis-runs/demo";
import { mixSeed } from "../random/prng";
import { synthesizeTasks } from "../synthesis/synthesize";
import type { Rollout } from "../types/rollout";
import type { Task } from "../types/task";
import { DEMO_EXPERIMENT_NAME, DEMO_PRESETS_BY_SAMPLE } from "../experiments/demo";

/** The demo experiment's run settings: those of lib/experiments/demo.ts (seedDemoExperiment). */
export const DEMO_EXPERIMENT_SETTINGS = {
  name: DEMO_EXPERIMENT_NAME,
  group_size: DEMO_PRESETS_BY_SAMPLE.length,
  presets_by_sample: [...DEMO_PRESETS_BY_SAMPLE] as AgentPreset[],
  seed: 1,
  max_turns: 150,
  max_errors: 10,
};

export interface DemoRunOptions {
  groupSize?: number;
  presetsBySample?: AgentPreset[];
  seed?: number;
  maxTurns?: number;
  maxErrors?: number;
  concurrency?: number;
}

export function synthesizeDemoTasks(): Task[] {
  const env = resolveEnvironment({ kind: "generated", seed: DEFAULT_STATE_SEED });
  return synthesizeTasks(parseSynthesisConfig(DEMO_SYNTHESIS_CONFIG), { state: env.state, stateSeed: env.stateSeed }).tasks;
}

export async function runDemoRollouts(opts: DemoRunOptions = {}, tasks: Task[] = synthesizeDemoTasks()): Promise<Rollout[]> {
  const env = resolveEnvironment({ kind: "generated", seed: DEFAULT_STATE_SEED });
  const s = DEMO_EXPERIMENT_SETTINGS;
  const presets = opts.presetsBySample ?? s.presets_by_sample;
  const seed = opts.seed ?? s.seed;
  const position = new Map(tasks.map((t, i) => [t, i]));
  return runGroupBatch({
    tasks,
    groupSize: opts.groupSize ?? s.group_size,
    concurrency: opts.concurrency ?? 8,
    baseStateFor: () => env.state,
    policyFor: () => env.policy,
    tools: AIRLINE_TOOL_SCHEMAS,
    maxTurns: opts.maxTurns ?? s.max_turns,
    maxErrors: opts.maxErrors ?? s.max_errors,
    groupIdFor: (t) => `g-demo-${position.get(t)}`,
    createAgent: (task, sample) =>
      createAgentDriver({ kind: "simulated", preset: presets[sample % presets.length] }, { task, seed: mixSeed(seed, position.get(task)!, sample) }),
    createUser: (task, sample) => createUserDriver({ kind: "simulated" }, { task, seed: mixSeed(seed, position.get(task)!, sample) }),
  });
}

export async function buildDemoColumnar(opts: DemoRunOptions = {}): Promise<{ rollouts: Rollout[]; data: ColumnarRollouts }> {
  const rollouts = await runDemoRollouts(opts);
  // NAIVE_V5 and CALIBRATED share a classification key (only values/estimator differ).
  return { rollouts, data: buildColumnar(rollouts, NAIVE_V5) };
}

export { classificationKey };
