import { createSimulatedAgent, createSimulatedUser, runSimulatedEpisode } from "./lib/agents/simulated";
import { evaluateTrajectory } from "./lib/rollouts/evaluate";
import { loadDomainDir } from "./lib/airline";
const d = loadDomainDir("/work/shared/tau2-airline");
(async () => {
  let s = 0; const fails: string[] = [];
  for (const [i, task] of d.tasks.entries()) {
    const ep = await runSimulatedEpisode({ task, base: d.state, agent: createSimulatedAgent({ preset: "expert", seed: i }), user: createSimulatedUser({ task }) });
    const ev = evaluateTrajectory({ task, messages: ep.messages, termination: ep.termination, baseState: d.state });
    s += ev.reward; if (ev.reward < 1) fails.push(`${task.id}:${ev.db_match ? "" : "db"}${ev.communicate_match ? "" : "comm"}`);
    if (process.env.SHOW === task.id) for (const m of ep.messages) console.log("  ", m.role, (m as any).content?.slice(0, 300) ?? JSON.stringify((m as any).tool_calls).slice(0, 300));
  }
  console.log("tau2 expert", s, "/", d.tasks.length, fails.join(" "));
})();
