import { synthesizeTasks, BEHAVIORS } from "./lib/synthesis";
import { createSimulatedAgent, createSimulatedUser, runSimulatedEpisode } from "./lib/agents/simulated";
import { evaluateTrajectory } from "./lib/rollouts/evaluate";
import { getGeneratedState, DEFAULT_STATE_SEED } from "./lib/airline";
const base = getGeneratedState(DEFAULT_STATE_SEED);
const grid = [];
for (const w of [1,2,3,4,5]) for (const b of [1,2,4,8,16]) grid.push({ writes: w, evidence: b, count: 10 });
const { tasks } = synthesizeTasks({ grid, seed: 9, behaviors: Object.fromEntries(BEHAVIORS.map(b => [b, 1])) });
(async () => {
for (const preset of ["expert", "average", "sloppy"] as const) {
  const byB: Record<string, [number, number]> = {}; const byBeh: Record<string, [number, number]> = {};
  let shown = 0; const term: Record<string, number> = {};
  for (const [i, task] of tasks.entries()) for (let r = 0; r < 2; r++) {
    const ep = await runSimulatedEpisode({ task, base, agent: createSimulatedAgent({ preset, seed: i * 7 + r }), user: createSimulatedUser({ task }) });
    const ev = evaluateTrajectory({ task, messages: ep.messages, termination: ep.termination, baseState: base });
    term[ep.termination] = (term[ep.termination] ?? 0) + 1;
    const c = (task.writ as any).cell; const k = `W${c.writes}`;
    for (const [m, kk] of [[byB, `B${c.evidence}`], [byB, k], [byBeh, task.writ!.behavior]] as const) { m[kk] ??= [0, 0]; m[kk][0] += ev.reward; m[kk][1]++; }
    if (preset === "expert" && ev.reward < 1 && shown < 3 && process.env.SHOW) { shown++; console.log(task.id, task.writ!.behavior, ep.termination, JSON.stringify(ev)); for (const m of ep.messages.slice(-14)) console.log("  ", m.role, (m as any).content?.slice(0, 250) ?? JSON.stringify((m as any).tool_calls).slice(0, 250)); }
  }
  const fmt = (m: Record<string, [number, number]>) => Object.entries(m).map(([b, [s, n]]) => `${b}:${(s/n).toFixed(2)}`).join(" ");
  console.log(preset, fmt(byB), "|", fmt(byBeh), JSON.stringify(term));
}
})();
