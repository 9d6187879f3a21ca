import { synthesizeTasks } from "./lib/synthesis";
import { createSimulatedAgent, createSimulatedUser } from "./lib/agents/simulated";
import { AirlineEnv, getGeneratedState, DEFAULT_STATE_SEED } from "./lib/airline";
import { AGENT_GREETING, type Message } from "./lib/types/messages";
const base = getGeneratedState(DEFAULT_STATE_SEED);
const { tasks } = synthesizeTasks({ grid: [{ writes: 1, evidence: 4, count: 50 }], seed: 3 });
const T = { env: 0, agent: 0, user: 0 };
(async () => {
  const t0 = performance.now(); let n = 0;
  for (let r = 0; r < 60; r++) for (const [i, task] of tasks.entries()) {
    const env = new AirlineEnv(base); const agent = createSimulatedAgent({ preset: "average", seed: i * 100 + r }); const user = createSimulatedUser({ task });
    const messages: Message[] = [{ role: "assistant", content: AGENT_GREETING }];
    outer: for (let k = 0; k < 200; k++) {
      let t = performance.now(); const u = await user.nextTurn({ messages, task }); T.user += performance.now() - t; messages.push(u);
      if (u.content.includes("###")) break;
      for (;;) {
        t = performance.now(); const a = await agent.nextTurn({ messages, tools: [], policy: "" }); T.agent += performance.now() - t; messages.push(a);
        if (!a.tool_calls?.length) break;
        for (const c of a.tool_calls) { t = performance.now(); const res = env.call(c.name, c.arguments); T.env += performance.now() - t; messages.push({ role: "tool", tool_call_id: c.id, content: res.content, error: res.error }); }
      }
    }
    n++;
  }
  console.log((globalThis as any).TI, (globalThis as any).TN, (globalThis as any).TP, (globalThis as any).TJ, "eps/s", (n / (performance.now() - t0) * 1000).toFixed(0), T);
})();
