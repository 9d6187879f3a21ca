import { describe, expect, it } from "vitest";
import type { Rollout } from "../types/rollout";
import { exportTau2Results } from "./tau2-export";
import { normalizeArguments } from "./tau2-format";
import { importTau2Results } from "./tau2-import";
import { formatRolloutJsonl, parseRolloutJsonl } from "./rollout-jsonl";
import { keepForSft, toSftRow } from "./sft";
import { agentTurnIndices, toRlRows } from "./rl";
import { stripSecrets } from "./redact";

const sim = (over: Record<string, unknown> = {}) => ({
  id: "0b6f2c1e-aaaa-bbbb-cccc-000000000001",
  task_id: "7",
  trial: 0,
  termination_reason: "user_stop",
  reward_info: { reward: 1.0, db_check: { db_match: true, db_reward: 1 } },
  messages: [
    { role: "assistant", content: "Hi! How can I help you today?", tool_calls: null, turn_idx: 0, cost: 0 },
    { role: "user", content: "Cancel my trip ABC123", tool_calls: null, turn_idx: 1 },
    {
      role: "assistant",
      content: null,
      tool_calls: [{ id: "call_1", name: "get_reservation_details", arguments: { reservation_id: "ABC123" }, requestor: "assistant" }],
      usage: { completion_tokens: 20, prompt_tokens: 900 },
      turn_idx: 2,
    },
    { role: "tool", id: "call_1", content: "{\"reservation_id\": \"ABC123\"}", requestor: "assistant", error: false, turn_idx: 3 },
    { role: "assistant", content: "Done.", tool_calls: null, usage: { completion_tokens: 5, prompt_tokens: 950 }, turn_idx: 4 },
    { role: "user", content: "###STOP###", turn_idx: 5 },
  ],
  ...over,
});

const results = (sims: unknown[], extra: Record<string, unknown> = {}) => ({
  timestamp: "2025-06-10T12:00:00",
  info: { git_commit: "x", num_trials: 1, max_steps: 200, max_errors: 10, agent_info: { implementation: "llm_agent", llm: "gpt-4.1" }, user_info: { implementation: "user_simulator", llm: "gpt-4.1" }, environment_info: { domain_name: "airline", policy: "p" } },
  tasks: [],
  simulations: sims,
  ...extra,
});

describe("τ² results import", () => {
  it("reads a v0.2 file into rollouts with outcome, termination, usage and tool pairing", () => {
    const { rollouts, skipped } = importTau2Results(results([sim()]));
    expect(skipped).toEqual([]);
    expect(rollouts).toHaveLength(1);
    const r = rollouts[0];
    expect(r.outcome).toBe(1);
    expect(r.termination).toBe("user_stop");
    expect(r.usage).toEqual({ prompt_tokens: 1850, completion_tokens: 25 });
    expect(r.messages[2]).toMatchObject({ role: "assistant", tool_calls: [{ id: "call_1", arguments: { reservation_id: "ABC123" } }] });
    expect(r.messages[3]).toEqual({ role: "tool", tool_call_id: "call_1", content: "{\"reservation_id\": \"ABC123\"}", error: false });
  });

  it("accepts v1 extras, string arguments, missing ids and maps failure reasons", () => {
    const s = sim({
      termination_reason: "max_steps",
      reward_info: { reward: 0 },
      mode: "half_duplex",
      ticks: null,
      messages: [
        { role: "assistant", content: "Hi! How can I help you today?", is_audio: false },
        { role: "user", content: "hi" },
        { role: "assistant", content: null, tool_calls: [{ id: "", name: "calculate", arguments: "{\"expression\": \"1+1\"}" }, { name: "calculate", arguments: "{not json" }] },
        { role: "tool", id: "", content: "2", error: false },
        { role: "tool", id: "", content: "Error: bad", error: true },
      ],
    });
    const { rollouts } = importTau2Results(results([s, sim({ id: "v", messages: null, termination_reason: "timeout" })], { simulation_index: [] }));
    expect(rollouts).toHaveLength(1);
    const calls = (rollouts[0].messages[2] as { tool_calls: { id: string; arguments: unknown }[] }).tool_calls;
    expect(calls[0].arguments).toEqual({ expression: "1+1" });
    expect(calls[1].arguments).toBe("{not json");
    expect(calls[0].id).not.toBe("");
    expect(rollouts[0].messages[3]).toMatchObject({ tool_call_id: calls[0].id });
    expect(rollouts[0].messages[4]).toMatchObject({ tool_call_id: calls[1].id, error: true });
    expect(rollouts[0].termination).toBe("max_turns");
  });

  it("names the bad field of a malformed file", () => {
    expect(() => importTau2Results({ info: {}, simulations: [{ id: 3 }] })).toThrow(/simulations/);
    // One readable line naming the path (a CLI prints only the first line of a message).
    expect(() => importTau2Results(results([sim({ task_id: undefined })]))).toThrow(/^not a τ² results file: simulations\.0\.task_id: /);
  });

  it("round-trips through export", () => {
    const { rollouts } = importTau2Results(results([sim()]));
    const doc = exportTau2Results({ rollouts, tasks: [], policy: "p", agentLabel: "a", userLabel: "u", numTrials: 1, maxSteps: 200, maxErrors: 10, seed: 1 });
    const again = importTau2Results(doc);
    expect(again.rollouts[0].messages).toEqual(rollouts[0].messages);
    expect(again.rollouts[0].outcome).toBe(1);
  });

  it("normalizes arguments", () => {
    expect(normalizeArguments("{\"a\":1}")).toEqual({ a: 1 });
    expect(normalizeArguments("[1]")).toBe("[1]");
    expect(normalizeArguments(undefined)).toEqual({});
  });
});

const rollout = (over: Partial<Rollout> = {}): Rollout => ({
  ...importTau2Results(results([sim()])).rollouts[0],
  ...over,
});

describe("rollout JSONL", () => {
  it("reports bad lines by number and keeps good ones", () => {
    const good = formatRolloutJsonl([rollout()]);
    const { rollouts, errors } = parseRolloutJsonl(good + "{oops\n" + JSON.stringify({ rollout_id: "x" }) + "\n");
    expect(rollouts).toHaveLength(1);
    expect(errors.map((e) => e.line)).toEqual([2, 3]);
    expect(errors[1].message).toMatch(/task_id/);
  });

  it("never writes secrets", () => {
    const text = formatRolloutJsonl([rollout({ metadata: { agent: { kind: "openai", apiKey: "sk-secret", nested: [{ api_key: "sk-2" }] } } })]);
    expect(text).not.toContain("sk-secret");
    expect(text).not.toContain("sk-2");
    expect(stripSecrets({ Authorization: "Bearer x", keep: 1 })).toEqual({ keep: 1 });
  });
});

describe("SFT and RL exports", () => {
  it("keeps only successful user-stopped rollouts, optionally with read coverage", () => {
    expect(keepForSft(rollout())).toBe(true);
    expect(keepForSft(rollout({ outcome: 0 }))).toBe(false);
    expect(keepForSft(rollout({ termination: "max_turns" }))).toBe(false);
    const plan = new Map([["7", [{ name: "get_reservation_details", arguments: { reservation_id: "ABC123" } }]]]);
    expect(keepForSft(rollout(), { requireReadCoverage: true, readPlans: plan })).toBe(true);
    const other = new Map([["7", [{ name: "get_user_details", arguments: { user_id: "u" } }]]]);
    expect(keepForSft(rollout(), { requireReadCoverage: true, readPlans: other })).toBe(false);
  });

  it("writes OpenAI chat rows with string arguments and tool_call_id", () => {
    const row = toSftRow(rollout(), "SYS", []);
    expect(row.messages[0]).toEqual({ role: "system", content: "SYS" });
    expect(row.messages[3]).toEqual({
      role: "assistant",
      content: null,
      tool_calls: [{ id: "call_1", type: "function", function: { name: "get_reservation_details", arguments: "{\"reservation_id\":\"ABC123\"}" } }],
    });
    expect(row.messages[4]).toEqual({ role: "tool", tool_call_id: "call_1", content: "{\"reservation_id\": \"ABC123\"}" });
  });

  it("emits one RL row per scored turn with the context before it", () => {
    const r = rollout();
    expect(agentTurnIndices(r.messages)).toEqual([2, 4]);
    const rows = [...toRlRows(r, [{ k: 0, tier: "read", reward: 0, advantage: 0.5 }, { k: 1, tier: "message", reward: 0, advantage: 0.4 }, { k: 9, tier: "x", reward: 0, advantage: 0 }], "SYS", "cfg1")];
    expect(rows).toHaveLength(2);
    expect(rows[0].prompt).toHaveLength(3);
    expect(rows[0].completion[0]).toMatchObject({ role: "assistant", tool_calls: [{ function: { name: "get_reservation_details" } }] });
    expect(rows[1].prompt).toHaveLength(5);
    expect(rows[1].advantage).toBe(0.4);
  });
});
