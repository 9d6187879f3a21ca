/**
 * Synthetic "training steps" for tests and benches: groups of trajectories played by the
 * project's simulated agent and user against the generated airline state, in the ingestion
 * API's group.create form. Skill rises with the step (sloppy → average → expert), so a run
 * streamed from here has a rising pass rate. The trainer's numbers (reward = outcome of the
 * simulation, group-normalised advantage) are filled in as a GRPO trainer would.
 */
import { AIRLINE_POLICY, AIRLINE_TOOLS, DEFAULT_STATE_SEED, getGeneratedState } from "../airline";
import { createAgentDriver, createUserDriver } from "../agents/factory";
import type { AgentPreset } from "../agents/simulated/presets";
import { runRollout } from "../rollouts/run-rollout";
import type { Message } from "../types/messages";
import type { Task } from "../types/task";

export interface SimulatedTrajectory {
  trajectory_id: string;
  messages: Message[];
  reward: number;
  advantage: number;
  termination: string;
  metadata: { preset: AgentPreset };
}

export interface SimulatedGroup {
  step: number;
  group_id: string;
  task_id: string;
  trajectories: SimulatedTrajectory[];
}

/** The preset of sample `sample` at `step` of `steps`: the expert's share grows, the sloppy one's shrinks. */
export function presetFor(step: number, steps: number, sample: number, groupSize: number): AgentPreset {
  const progress = steps <= 1 ? 1 : step / (steps - 1);
  const u = (sample + 0.5) / groupSize;
  if (u < 1 - progress * 1.2) return "sloppy";
  if (u < 1 - progress * 0.6) return "average";
  return "expert";
}

/** One step's groups: every task once, `groupSize` samples, seeds derived from (step, task, sample). */
export async function simulateStep(tasks: readonly Task[], step: number, steps: number, groupSize: number, seed = 1): Promise<SimulatedGroup[]> {
  const out: SimulatedGroup[] = [];
  for (let k = 0; k < tasks.length; k++) {
    const task = tasks[k];
    const baseState = getGeneratedState(task.writ?.state_seed ?? DEFAULT_STATE_SEED);
    const trajectories: SimulatedTrajectory[] = [];
    for (let sample = 0; sample < groupSize; sample++) {
      const preset = presetFor(step, steps, sample, groupSize);
      const episodeSeed = seed * 1_000_003 + step * 10_007 + k * 101 + sample;
      const r = await runRollout({
        task,
        baseState,
        policy: AIRLINE_POLICY,
        tools: AIRLINE_TOOLS.map((t) => t.schema),
        agent: createAgentDriver({ kind: "simulated", preset }, { task, seed: episodeSeed }),
        user: createUserDriver({ kind: "simulated" }, { task, seed: episodeSeed }),
        maxTurns: 200,
      });
      trajectories.push({ trajectory_id: `s${step}-${task.id}-${sample}`, messages: r.messages, reward: r.reward, advantage: 0, termination: r.termination, metadata: { preset } });
    }
    const mean = trajectories.reduce((s, t) => s + t.reward, 0) / trajectories.length;
    const sd = Math.sqrt(trajectories.reduce((s, t) => s + (t.reward - mean) ** 2, 0) / trajectories.length);
    for (const t of trajectories) t.advantage = sd > 0 ? (t.reward - mean) / sd : 0;
    out.push({ step, group_id: `${step}:${task.id}:0`, task_id: task.id, trajectories });
  }
  return out;
}
