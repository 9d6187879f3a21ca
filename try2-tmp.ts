import { synthesizeTasks } from "./lib/synthesis";
import { createSimulatedAgent, createSimulatedUser, runSimulatedEpisode } from "./lib/agents/simulated";
import { evaluateTrajectory } from "./lib/rollouts/evaluate";
import { getGeneratedState, DEFAULT_STATE_SEED } from "./lib/airline";
const base = getGeneratedState(DEFAULT_STATE_SEED);
const grid = [];
for (const w of [1,2]) for (const b of [1,2,4,8,16]) grid.push({ writes: w, evidence: b, count: 20 });
const { tasks } = synthesizeTasks({ grid, seed: 3, behaviors: { cooperative: 1, progressive_disclosure: 1, no_ids: 1, terse: 1, split_request: 1, changes_mind: 1, insists_forbidden: 1, non_native: 1 } });
(async () => {
for (const preset of ["expert", "average", "sloppy"] as const) {
  const byB: Record<number, [number, number]> = {};
  let shown = 0;
  const t0 = performance.now();
  for (const [i, task] of tasks.entries()) {
    const ep = await runSimulatedEpisode({ task, base, agent: createSimulatedAgent({ preset, seed: i }), user: createSimulatedUser({ task, seed: i }) });
    const ev = evaluateTrajectory({ task, messages: ep.messages, termination: ep.termination, baseState: base });
    const B = (task.writ as any).cell.evidence;
    byB[B] ??= [0, 0]; byB[B][0] += ev.reward; byB[B][1]++;
    if (preset === "expert" && ev.reward < 1 && shown < 2) { shown++; console.log(task.id, task.writ!.behavior, ep.termination, JSON.stringify(ev)); for (const m of ep.messages) console.log("  ", m.role, (m as any).content?.slice(0, 300) ?? JSON.stringify((m as any).tool_calls)); }
  }
  console.log(preset, (performance.now()-t0).toFixed(0), "ms", Object.entries(byB).map(([b, [s, n]]) => `B${b}:${(s/n).toFixed(2)}`).join(" "));
}
})();
