/** A τ² results document built from the real τ² tasks: each simulation is a task's oracle trajectory in τ²'s message shape. */
import { loadDomainDir } from "../lib/airline/load";
import { pythonJson } from "../lib/airline/tau2-json";
import { oracleTrajectory } from "../lib/rollouts/evaluate";
import type { AirlineState } from "../lib/airline/schema";
import type { Message } from "../lib/types/messages";
import type { Task } from "../lib/types/task";

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

/**
 * One simulation of fullResults: which task, which trial, and how it ended. Trials need not be
 * 0..n-1 (a run that lost a trial has 0 and 2).
 */
export interface SimulationSpec {
  taskId: string;
  trial: number;
  termination?: "user_stop" | "agent_stop";
}

/**
 * The whole τ² message shape, with a value that is neither 0 nor null nor the default for
 * every per-message field the project keeps (turn_idx, timestamp, cost, usage), so an export
 * that writes a default instead of the recorded value fails a field-by-field comparison.
 * turn_idx is deliberately not the message index.
 */
function tau2Messages(messages: Message[], sim: number): Record<string, unknown>[] {
  return messages.map((m, i) => {
    const turn_idx = 3 * i + 1;
    const timestamp = `2025-03-0${sim + 1}T10:${String(i).padStart(2, "0")}:07.${String(123456 + i)}`;
    if (m.role === "tool") {
      return { id: m.tool_call_id, role: "tool", content: m.error ? m.content : asTau2Text(m.content), requestor: "assistant", error: m.error, turn_idx, timestamp };
    }
    const common = { turn_idx, timestamp, cost: 0.0013 * (i + 1) + sim / 100, usage: { completion_tokens: 11 + i, prompt_tokens: 417 + 10 * i } };
    if (m.role === "user") return { role: "user", content: m.content, tool_calls: null, ...common };
    const calls = m.role === "assistant" && m.tool_calls?.length ? m.tool_calls.map((c) => ({ id: c.id, name: c.name, arguments: c.arguments, requestor: "assistant" })) : null;
    return { role: "assistant", content: m.content, tool_calls: calls, ...common };
  });
}

/**
 * What τ² recorded (pydantic 2.12) for a booking whose payment lacks `amount`: copied from a
 * real gpt-oss-120b airline run (task 42), so a replay must reproduce pydantic's wording.
 */
export const RECORDED_PYDANTIC_ERROR =
  "Error: 1 validation error for Payment\namount\n  Field required [type=missing, input_value={'payment_id': 'credit_card_1402274'}, input_type=dict]\n" +
  "    For further information visit https://errors.pydantic.dev/2.12/v/missing";

const BOOKING_WITHOUT_AMOUNT = {
  user_id: "sophia_martin_4574", origin: "JFK", destination: "BOS", flight_type: "one_way", cabin: "economy",
  flights: [{ flight_number: "HAT083", date: "2024-05-22" }], passengers: [{ first_name: "Sophia", last_name: "Martin", dob: "1990-10-25" }],
  payment_methods: [{ payment_id: "credit_card_1402274" }], total_baggages: 0, nonfree_baggages: 0, insurance: "no",
};

/**
 * The task's oracle trajectory with two failing calls first (so tool messages have error:
 * true): a read of an unknown user and a booking refused by pydantic validation.
 */
function trajectoryWithError(task: Task, state: AirlineState, sim: number): Message[] {
  const oracle = oracleTrajectory(task, state);
  const user = `nobody_${sim}`;
  const bad: Message[] = [
    { role: "assistant", content: null, tool_calls: [{ id: `bad-${sim}`, name: "get_user_details", arguments: { user_id: user } }] },
    { role: "tool", tool_call_id: `bad-${sim}`, content: `Error: User ${user} not found`, error: true },
    { role: "assistant", content: null, tool_calls: [{ id: `bad-book-${sim}`, name: "book_reservation", arguments: BOOKING_WITHOUT_AMOUNT }] },
    { role: "tool", tool_call_id: `bad-book-${sim}`, content: RECORDED_PYDANTIC_ERROR, error: true },
  ];
  return [...oracle.slice(0, 2), ...bad, ...oracle.slice(2)];
}

/** The evaluation a τ² run records for a passing simulation of `task` (its own gold actions). */
function passingRewardInfo(task: Task, sim: number): Record<string, unknown> {
  const criteria = task.evaluation_criteria;
  return {
    reward: 1.0,
    db_check: { db_match: true, db_reward: 1.0 },
    env_assertions: [{ env_assertion: { env_type: "assistant", func_name: "assert_checked", arguments: { sim: sim + 1 } }, met: true, reward: 1.0 }],
    action_checks: (criteria?.actions ?? []).map((action) => ({ action, action_match: true, action_reward: 1.0 })),
    nl_assertions: [{ nl_assertion: `assertion of simulation ${sim}`, met: true, justification: "the agent said so" }],
    communicate_checks: (criteria?.communicate_info ?? []).map((info) => ({ info, met: true, justification: "mentioned" })),
    reward_basis: ["DB", "COMMUNICATE"],
    reward_breakdown: { DB: 1.0, COMMUNICATE: 1.0 },
    info: { note: `simulation ${sim}` },
  };
}

/**
 * A τ² results document as `tau2 run` writes it, every field the project keeps set to a
 * non-default value (info.max_steps/max_errors/seed, llm_args, simulation seed, times,
 * duration, costs, whole reward_info, per-message turn_idx/timestamp/cost/usage), so an
 * import → export round trip can be compared field by field. Simulations are the tasks'
 * oracle trajectories (they re-score to 1.0 on the τ² base state).
 */
export function fullResults(domainDir: string, specs: SimulationSpec[]) {
  const domain = loadDomainDir(domainDir);
  const taskOf = (id: string) => {
    const t = domain.tasks.find((x) => x.id === id);
    if (!t) throw new Error(`fixture: no task ${id} in ${domainDir}`);
    return t;
  };
  const used = [...new Set(specs.map((s) => s.taskId))];
  return {
    timestamp: "2025-03-01T09:00:00.123456",
    info: {
      git_commit: "0123abcd",
      num_trials: 3,
      max_steps: 37,
      max_errors: 4,
      seed: 4242,
      user_info: { implementation: "user_simulator", llm: "gpt-4.1-mini", llm_args: { temperature: 0.25 }, global_simulation_guidelines: "Be brief." },
      agent_info: { implementation: "llm_agent", llm: "gpt-4.1", llm_args: { temperature: 0.5 } },
      environment_info: { domain_name: "airline", policy: "Fixture policy.", tool_defs: { note: "kept as written" } },
    },
    tasks: used.map(taskOf),
    simulations: specs.map((s, k) => ({
      id: `sim-${s.taskId}-t${s.trial}`,
      task_id: s.taskId,
      timestamp: `2025-03-0${k + 1}T10:59:58.000${k + 1}`,
      start_time: `2025-03-0${k + 1}T10:00:00.100${k + 1}`,
      end_time: `2025-03-0${k + 1}T10:59:57.900${k + 1}`,
      duration: 12.75 + k,
      termination_reason: s.termination ?? "user_stop",
      agent_cost: 0.0271 + k / 1000,
      user_cost: 0.0104 + k / 1000,
      reward_info: passingRewardInfo(taskOf(s.taskId), k),
      messages: tau2Messages(trajectoryWithError(taskOf(s.taskId), domain.state, k), k),
      trial: s.trial,
      seed: 9001 + k,
    })),
  };
}

/**
 * A "leaderboard" file that numbers tasks by position: simulation i is a run of realTaskIds[i]
 * (its trajectory and recorded action checks are that task's) but says task_id String(i). The
 * file ships the tasks its task_ids name, so every id is a real task of the domain.
 */
export function positionalResults(domainDir: string, realTaskIds: string[]) {
  const doc = fullResults(domainDir, realTaskIds.map((taskId) => ({ taskId, trial: 0 })));
  const domain = loadDomainDir(domainDir);
  doc.simulations.forEach((s, i) => {
    s.id = `leaderboard-${i}`;
    s.task_id = String(i);
  });
  doc.tasks = doc.simulations.map((s) => domain.tasks.find((t) => t.id === s.task_id)!);
  return doc;
}
