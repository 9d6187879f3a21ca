/**
 * Airline environment benchmarks (one JSON object on stdout):
 * - search_onestop_flight calls per second on the generated default state;
 * - scoring a typical 20-turn rollout with the copy-on-write diff vs the naive way
 *   (deep-clone the whole state for the agent and for the gold replay, hash both whole
 *   states), medians and their ratio from the same run;
 * - generating the default state, and loading the 7 MB τ² state (when the folder exists).
 */
import { existsSync } from "node:fs";
import { AirlineEnv } from "../lib/airline/toolkit/airline-env";
import { canonicalJson, hashCanonical } from "../lib/airline/canonical";
import { generateAirlineState, getGeneratedState } from "../lib/airline/generate";
import { loadDomainDir } from "../lib/airline/load";
import type { AirlineState, Reservation } from "../lib/airline/schema";
import { agentStateHash, evaluateTrajectory, missingCommunicateInfo } from "../lib/rollouts/evaluate";
import { AGENT_GREETING, type Message } from "../lib/types/messages";
import type { Task } from "../lib/types/task";
import { toolKind } from "../lib/airline/tool-schemas";
import { TAU2_DIR as TAU2_TEST_DATA_DIR } from "../lib/airline/testing/fixture";

const TAU2_DIR = process.env.TAU2_DATA_DIR || TAU2_TEST_DATA_DIR;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
function time(fn: () => void, runs: number): number {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    out.push(performance.now() - t);
  }
  return median(out);
}

function onestopPerSecond(state: AirlineState): number {
  const env = new AirlineEnv(state);
  const airports = [...new Set(Object.values(state.flights).map((f) => f.origin))];
  let calls = 0;
  const t = performance.now();
  while (performance.now() - t < 1000) {
    const o = airports[calls % airports.length];
    const d = airports[(calls * 7 + 3) % airports.length];
    env.call("search_onestop_flight", { origin: o, destination: d, date: `2024-05-${16 + (calls % 14)}` });
    calls++;
  }
  return Math.round(calls / ((performance.now() - t) / 1000));
}

/** A plausible 20-turn rollout on the state: reads, three writes with confirmations, a closing message. */
function typicalRollout(state: AirlineState): { task: Task; messages: Message[] } {
  const future = (r: Reservation) => r.flights.every((f) => f.date > "2024-05-16") && r.cabin !== "basic_economy";
  const res = Object.values(state.reservations).filter(future);
  const [r1, r2] = [res[0], res.find((r) => r.user_id !== res[0].user_id)!];
  const gift = Object.values(state.users[r1.user_id].payment_methods).find((p) => p.source === "credit_card") ?? Object.values(state.users[r1.user_id].payment_methods)[0];
  const writes = [
    { name: "update_reservation_baggages", arguments: { reservation_id: r1.reservation_id, total_baggages: r1.total_baggages + 2, nonfree_baggages: r1.nonfree_baggages + 1, payment_id: gift.id } },
    { name: "cancel_reservation", arguments: { reservation_id: r2.reservation_id } },
    { name: "send_certificate", arguments: { user_id: r2.user_id, amount: 50 * r2.passengers.length } },
  ];
  const reads = [
    { name: "get_user_details", arguments: { user_id: r1.user_id } },
    { name: "get_reservation_details", arguments: { reservation_id: r1.reservation_id } },
    { name: "search_direct_flight", arguments: { origin: r1.origin, destination: r1.destination, date: "2024-05-20" } },
    { name: "get_user_details", arguments: { user_id: r2.user_id } },
    { name: "get_reservation_details", arguments: { reservation_id: r2.reservation_id } },
    { name: "get_flight_status", arguments: { flight_number: r2.flights[0].flight_number, date: r2.flights[0].date } },
    { name: "calculate", arguments: { expression: `${r2.passengers.length} * 50` } },
  ];
  const env = new AirlineEnv(state);
  const messages: Message[] = [{ role: "assistant", content: AGENT_GREETING }, { role: "user", content: "I need a few changes." }];
  let k = 0;
  const act = (a: { name: string; arguments: Record<string, unknown> }) => {
    const id = `c${k++}`;
    messages.push({ role: "assistant", content: null, tool_calls: [{ id, name: a.name, arguments: a.arguments }] });
    const r = env.call(a.name, a.arguments);
    messages.push({ role: "tool", tool_call_id: id, content: r.content, error: r.error });
  };
  for (const a of reads.slice(0, 3)) act(a);
  for (let i = 0; i < 4; i++) {
    messages.push({ role: "assistant", content: `Here is what I found (${i}). Shall I proceed?` }, { role: "user", content: "Yes, go ahead." });
  }
  act(writes[0]);
  for (const a of reads.slice(3)) act(a);
  for (const w of writes.slice(1)) {
    messages.push({ role: "assistant", content: "To confirm: proceed?" }, { role: "user", content: "yes" });
    act(w);
  }
  messages.push({ role: "assistant", content: "All done: bags added, reservation cancelled, certificate sent." }, { role: "user", content: "###STOP###" });
  const task: Task = { id: "bench", user_scenario: { instructions: "bench" }, evaluation_criteria: { actions: [...reads, ...writes], communicate_info: [], reward_basis: ["DB", "COMMUNICATE"] } };
  return { task, messages };
}

/** The naive evaluation: clone the whole state twice, replay, hash both whole states. */
function naiveEvaluate(task: Task, messages: Message[], state: AirlineState): boolean {
  const hashAfter = (calls: { name: string; arguments: unknown }[]): string => {
    const copy = structuredClone(state) as AirlineState;
    const env = new AirlineEnv(copy);
    for (const c of calls) if (toolKind(c.name) === "write") env.call(c.name, c.arguments);
    const d = env.diff();
    Object.assign(copy.flights, d.flights);
    Object.assign(copy.users, d.users);
    Object.assign(copy.reservations, d.reservations);
    return hashCanonical(copy);
  };
  const agentCalls = messages.flatMap((m) => (m.role === "assistant" && m.tool_calls ? m.tool_calls : []));
  const ok = hashAfter(agentCalls) === hashAfter(task.evaluation_criteria!.actions!);
  return ok && missingCommunicateInfo([], messages).length === 0;
}

function main(): void {
  const state = getGeneratedState();
  const { task, messages } = typicalRollout(state);
  const check = evaluateTrajectory({ task, messages, termination: "user_stop", baseState: state });
  if (check.reward !== 1 || !naiveEvaluate(task, messages, state)) throw new Error("bench rollout does not score 1");

  const cowWarm = time(() => evaluateTrajectory({ task, messages, termination: "user_stop", baseState: state }), 500);
  // Uncached: both replays every time (no memoised gold hash).
  const cowCold = time(() => {
    const gold = new AirlineEnv(state);
    for (const a of task.evaluation_criteria!.actions!) if (toolKind(a.name) === "write") gold.call(a.name, a.arguments);
    void (agentStateHash(messages, state) === gold.stateHash());
  }, 500);
  const naive = time(() => naiveEvaluate(task, messages, state), 9);

  const figures: Record<string, number | string | null> = {
    onestop_calls_per_s: onestopPerSecond(state),
    eval_20_turn_cow_ms_median: +cowWarm.toFixed(4),
    eval_20_turn_cow_uncached_ms_median: +cowCold.toFixed(4),
    eval_20_turn_clone_hash_ms_median: +naive.toFixed(2),
    eval_speedup_clone_over_cow_uncached: +(naive / cowCold).toFixed(1),
    generate_default_state_ms_median: +time(() => generateAirlineState({ seed: 1 + Math.floor(performance.now()) }), 3).toFixed(1),
    state_canonical_bytes: canonicalJson(state).length,
    tau2_load_ms_median: null,
  };
  if (existsSync(TAU2_DIR)) figures.tau2_load_ms_median = +time(() => loadDomainDir(TAU2_DIR), 3).toFixed(1);
  else process.stderr.write(`τ² folder ${TAU2_DIR} absent: tau2_load_ms_median skipped\n`);
  process.stdout.write(JSON.stringify(figures) + "\n");
}

main();
