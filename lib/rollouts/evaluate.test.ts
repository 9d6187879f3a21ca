import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDomainDir, loadTasksFile } from "../airline/load";
import { makeFixtureState, TAU2_DIR } from "../airline/testing/fixture";
import type { AssistantMessage, Message } from "../types/messages";
import type { Task } from "../types/task";
import { evaluateTrajectory, isSuccess, oracleTrajectory, passHatK } from "./evaluate";

const fixture = makeFixtureState();

function task(actions: { name: string; arguments: Record<string, unknown> }[], communicate: string[] = [], extra: Record<string, unknown> = {}): Task {
  return {
    id: "t1",
    user_scenario: { instructions: { reason_for_call: "I need help with my trip." } },
    evaluation_criteria: { actions, communicate_info: communicate, ...extra },
  };
}
const call = (id: string, name: string, args: Record<string, unknown>): AssistantMessage => ({
  role: "assistant",
  content: null,
  tool_calls: [{ id, name, arguments: args }],
});
const toolMsg = (id: string): Message => ({ role: "tool", tool_call_id: id, content: "{}", error: false });

const cancel2 = { name: "cancel_reservation", arguments: { reservation_id: "RES002" } };
const cert = { name: "send_certificate", arguments: { user_id: "alice_smith_1000", amount: 100 } };
const readUser = { name: "get_user_details", arguments: { user_id: "alice_smith_1000" } };

describe("evaluateTrajectory on a fixture", () => {
  const t = task([readUser, cancel2, cert], ["100"]);

  it("the oracle trajectory scores 1 with full recall", () => {
    const r = evaluateTrajectory({ task: t, messages: oracleTrajectory(t, fixture), termination: "user_stop", baseState: fixture });
    expect(r).toMatchObject({ reward: 1, db_match: true, communicate_match: true, read_recall: 1, write_recall: 1 });
    expect(isSuccess(r.reward)).toBe(true);
  });

  it("extra reads and the independent writes in the other order still score 1 (reads never required)", () => {
    const messages: Message[] = [
      { role: "assistant", content: "Hi! How can I help you today?" },
      { role: "user", content: "help" },
      call("a", "get_reservation_details", { reservation_id: "RES002" }), toolMsg("a"),
      call("b", "search_direct_flight", { origin: "JFK", destination: "LAX", date: "2024-05-16" }), toolMsg("b"),
      call("c", cert.name, cert.arguments), toolMsg("c"),
      call("d", cancel2.name, cancel2.arguments), toolMsg("d"),
      { role: "assistant", content: "Done: a $100 certificate." },
      { role: "user", content: "###STOP###" },
    ];
    const r = evaluateTrajectory({ task: t, messages, termination: "user_stop", baseState: fixture });
    expect(r).toMatchObject({ reward: 1, db_match: true, read_recall: 0, write_recall: 1 });
  });

  it("a different argument in a gold write fails the DB check", () => {
    const messages = oracleTrajectory(t, fixture).map((m) =>
      m.role === "assistant" && m.tool_calls?.[0]?.name === "send_certificate"
        ? call("x", "send_certificate", { user_id: "alice_smith_1000", amount: 150 })
        : m,
    );
    const r = evaluateTrajectory({ task: t, messages, termination: "user_stop", baseState: fixture });
    expect(r).toMatchObject({ reward: 0, db_match: false, communicate_match: true, write_recall: 0.5 });
  });

  it("a missing communicate string scores 0 and is named; commas in the message are ignored", () => {
    const t2 = task([], ["1628"]);
    const base: Message[] = [{ role: "assistant", content: "Hi! How can I help you today?" }, { role: "user", content: "x" }];
    const miss = evaluateTrajectory({ task: t2, messages: [...base, { role: "assistant", content: "The total is 1 600." }], termination: "user_stop", baseState: fixture });
    expect(miss).toMatchObject({ reward: 0, db_match: true, communicate_match: false, missing_communicate: ["1628"] });
    const hit = evaluateTrajectory({ task: t2, messages: [...base, { role: "assistant", content: "The total is $1,628." }], termination: "user_stop", baseState: fixture });
    expect(hit.reward).toBe(1);
  });

  it("the correct path ending by max_turns or too_many_errors scores 0 (parts still reported)", () => {
    for (const termination of ["max_turns", "too_many_errors", "error"] as const) {
      const r = evaluateTrajectory({ task: t, messages: oracleTrajectory(t, fixture), termination, baseState: fixture });
      expect(r).toMatchObject({ reward: 0, db_match: true, communicate_match: true, termination });
    }
    expect(evaluateTrajectory({ task: t, messages: oracleTrajectory(t, fixture), termination: "agent_stop", baseState: fixture }).reward).toBe(1);
  });

  it("a refuse-everything task is met by doing nothing and failed by any write", () => {
    const refuse = task([readUser]);
    const idle: Message[] = [{ role: "assistant", content: "Hi! How can I help you today?" }, { role: "user", content: "cancel it" }, { role: "assistant", content: "Sorry, I cannot." }];
    expect(evaluateTrajectory({ task: refuse, messages: idle, termination: "user_stop", baseState: fixture }).reward).toBe(1);
    const acted = [...idle, call("z", cancel2.name, cancel2.arguments), toolMsg("z")];
    expect(evaluateTrajectory({ task: refuse, messages: acted, termination: "user_stop", baseState: fixture })).toMatchObject({ reward: 0, db_match: false, write_recall: null });
  });

  it("unparseable arguments and unknown tools change nothing", () => {
    const messages: Message[] = [
      { role: "assistant", content: null, tool_calls: [{ id: "q", name: "cancel_reservation", arguments: "{not json" }] },
      call("r", "teleport", { to: "moon" }),
    ];
    expect(evaluateTrajectory({ task: task([]), messages, termination: "user_stop", baseState: fixture }).db_match).toBe(true);
  });

  it("ACTION in reward_basis is scored; NL_ASSERTION is skipped and reported", () => {
    const withAction = task([cert], [], { reward_basis: ["DB", "ACTION"] });
    expect(evaluateTrajectory({ task: withAction, messages: oracleTrajectory(withAction), termination: "user_stop", baseState: fixture })).toMatchObject({ reward: 1, action_match: true });
    const nl = task([], [], { reward_basis: ["DB", "NL_ASSERTION"], nl_assertions: ["be nice"] });
    expect(evaluateTrajectory({ task: nl, messages: [], termination: "user_stop", baseState: fixture })).toMatchObject({ reward: 1, skipped: ["NL_ASSERTION"] });
  });
});

describe("oracleTrajectory", () => {
  it("greets, states the request, alternates calls and results, communicates, stops", () => {
    const t = task([readUser, cert], ["100", "gold"]);
    const m = oracleTrajectory(t, fixture);
    expect(m.map((x) => x.role)).toEqual(["assistant", "user", "assistant", "tool", "assistant", "tool", "assistant", "user"]);
    expect(m[0].content).toBe("Hi! How can I help you today?");
    expect(JSON.parse(m[3].content as string).user_id).toBe("alice_smith_1000");
    expect(m[6].content).toContain("100");
    expect(m[6].content).toContain("gold");
    expect(m[7].content).toBe("###STOP###");
  });
});

describe("passHatK", () => {
  it("averages C(c,k)/C(n,k) over tasks", () => {
    expect(passHatK([{ n: 4, c: 4 }, { n: 4, c: 0 }], 1)).toBe(0.5);
    expect(passHatK([{ n: 4, c: 2 }], 1)).toBe(0.5);
    expect(passHatK([{ n: 4, c: 2 }], 2)).toBeCloseTo(1 / 6, 12);
    expect(passHatK([{ n: 4, c: 3 }, { n: 4, c: 4 }], 4)).toBe(0.5);
    expect(passHatK([{ n: 2, c: 2 }], 3)).toBe(0);
  });
});

const haveTau2 = existsSync(TAU2_DIR);
if (!haveTau2) console.warn(`[rollouts] τ² data folder ${TAU2_DIR} absent: skipping the τ² oracle replay tests`);
describe.skipIf(!haveTau2)("τ² airline oracle replay", () => {
  const domain = haveTau2 ? loadDomainDir(TAU2_DIR) : null;
  const sets: [string, Task[]][] = haveTau2
    ? [["tasks.json", domain!.tasks], ["tau2-v0.1.0-release/tasks.json", loadTasksFile(join(TAU2_DIR, "tau2-v0.1.0-release/tasks.json"))]]
    : [];

  it.each(sets.map(([name, tasks]) => [name, tasks] as const))("every task of %s replays to reward 1 without a tool error", (_name, tasks) => {
    expect(tasks).toHaveLength(50);
    for (const t of tasks) {
      const messages = oracleTrajectory(t, domain!.state);
      expect(messages.filter((m) => m.role === "tool" && m.error), `task ${t.id}`).toEqual([]);
      const r = evaluateTrajectory({ task: t, messages, termination: "user_stop", baseState: domain!.state });
      expect(r.reward, `task ${t.id}`).toBe(1);
    }
  });

  const byId = (id: string) => domain!.tasks.find((t) => t.id === id)!;

  it("a wrong payment amount in a booking is a tool error and fails the DB check (task 8)", () => {
    const t = byId("8");
    const messages = oracleTrajectory(t, domain!.state).map((m) => {
      if (m.role !== "assistant" || m.tool_calls?.[0]?.name !== "book_reservation") return m;
      const args = structuredClone(m.tool_calls[0].arguments) as { payment_methods: { amount: number }[] };
      args.payment_methods[0].amount += 1;
      return call("bad", "book_reservation", args);
    });
    const r = evaluateTrajectory({ task: t, messages, termination: "user_stop", baseState: domain!.state });
    expect(r).toMatchObject({ reward: 0, db_match: false });
  });

  it("a different flight in a gold flight change fails the DB check (task 15)", () => {
    const t = byId("15");
    const gold = t.evaluation_criteria!.actions!.find((a) => a.name === "update_reservation_flights")!;
    const args = structuredClone(gold.arguments) as { flights: { flight_number: string; date: string }[] };
    args.flights[0].date = args.flights[0].date === "2024-05-20" ? "2024-05-21" : "2024-05-20";
    const messages = oracleTrajectory(t).map((m) => (m.role === "assistant" && m.tool_calls?.[0]?.name === "update_reservation_flights" ? call("x", gold.name, args) : m));
    expect(evaluateTrajectory({ task: t, messages, termination: "user_stop", baseState: domain!.state })).toMatchObject({ reward: 0, db_match: false });
  });

  it("three independent cancellations in reverse order still score 1 (task 39)", () => {
    const t = byId("39");
    const calls = t.evaluation_criteria!.actions!.filter((a) => a.name === "cancel_reservation").reverse();
    const messages: Message[] = calls.flatMap((a, i) => [call(`c${i}`, a.name, a.arguments), toolMsg(`c${i}`)]);
    expect(evaluateTrajectory({ task: t, messages, termination: "user_stop", baseState: domain!.state }).reward).toBe(1);
  });

  it("dropping the closing message fails COMMUNICATE (task 7)", () => {
    const t = byId("7");
    const messages = oracleTrajectory(t, domain!.state).slice(0, -2);
    expect(evaluateTrajectory({ task: t, messages, termination: "user_stop", baseState: domain!.state })).toMatchObject({
      reward: 0,
      db_match: true,
      communicate_match: false,
      missing_communicate: ["1628"],
    });
  });
});
