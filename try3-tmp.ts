import { synthesizeTasks } from "./lib/synthesis";
import { createSimulatedAgent, createSimulatedUser, runSimulatedEpisode } from "./lib/agents/simulated";
import { evaluateTrajectory } from "./lib/rollouts/evaluate";
import { getGeneratedState, DEFAULT_STATE_SEED } from "./lib/airline";
const base = getGeneratedState(DEFAULT_STATE_SEED);
const { tasks } = synthesizeTasks({ grid: [{ writes: 1, evidence: 4, count: 50 }], seed: 3 });
(async () => {
  const t0 = performance.now(); let n = 0; let msgs = 0;
  for (let r = 0; r < 100; r++) for (const [i, task] of tasks.entries()) {
    const ep = await runSimulatedEpisode({ task, base, agent: createSimulatedAgent({ preset: "average", seed: i * 100 + r }), user: createSimulatedUser({ task }) });
    msgs += ep.messages.length; n++;
  }
  const t1 = performance.now();
  console.log("episodes/s", (n / (t1 - t0) * 1000).toFixed(0), "avg msgs", msgs / n);
  let m = 0;
  for (let r = 0; r < 5; r++) for (const [i, task] of tasks.entries()) {
    const ep = await runSimulatedEpisode({ task, base, agent: createSimulatedAgent({ preset: "average", seed: i * 100 + r }), user: createSimulatedUser({ task }) });
    evaluateTrajectory({ task, messages: ep.messages, termination: ep.termination, baseState: base }); m++;
  }
  console.log("with eval /s", (m / (performance.now() - t1) * 1000).toFixed(0));
})();
