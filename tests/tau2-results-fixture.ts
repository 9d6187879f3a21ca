/** A τ² results document built from the real τ² tasks: each simulation is a task's oracle trajectory in τ²'s message shape. */
import { loadDomainDir } from "../lib/airline/load";
import { pythonJson } from "../lib/airline/tau2-json";
import { oracleTrajectory } from "../lib/rollouts/evaluate";

/** The project's tool output (compact JSON, or a plain string) as τ² records it (Python json.dumps). */
function asTau2Text(content: string): string {
  try {
    const v: unknown = JSON.parse(content);
    return typeof v === "object" && v !== null ? pythonJson(v) : content;
  } catch {
    return content;
  }
}

export function oracleResults(domainDir: string, taskIds: string[], opts: { domain?: string; recordedReward?: number } = {}) {
  const domain = loadDomainDir(domainDir);
  const tasks = domain.tasks.filter((x) => taskIds.includes(x.id));
  return {
    timestamp: "2025-08-01T16:20:43.824977",
    info: {
      git_commit: "abc", num_trials: 1, max_steps: 200, max_errors: 10, seed: 300,
      user_info: { implementation: "user_simulator", llm: "u" }, agent_info: { implementation: "llm_agent", llm: "a" },
      environment_info: { domain_name: opts.domain ?? "airline", policy: "p", tool_defs: null },
    },
    tasks,
    simulations: taskIds.map((id, i) => ({
      id: `sim-${i}`, task_id: id, trial: 0, seed: 300, termination_reason: "user_stop",
      reward_info: { reward: opts.recordedReward ?? 1 } as Record<string, unknown>,
      messages: oracleTrajectory(domain.tasks.find((x) => x.id === id) ?? tasks[0], domain.state).map((m) =>
        m.role === "tool" ? { role: "tool", id: m.tool_call_id, content: m.error ? m.content : asTau2Text(m.content), error: m.error } : m,
      ),
    })),
  };
}
