import { describe, expect, it } from "vitest";
import { getGeneratedState } from "../airline";
import type { AgentDriver, UserDriver } from "../agents/types";
import type { AssistantMessage } from "../types/messages";
import { rolloutSchema } from "../types/rollout";
import type { Task } from "../types/task";
import { runGroupBatch, runRollout } from "./run-rollout";

const state = getGeneratedState();
const userId = Object.keys(state.users)[0];

const certificateTask: Task = {
  id: "cert",
  user_scenario: { instructions: "Ask for a $100 certificate." },
  evaluation_criteria: {
    actions: [{ action_id: "cert_0", name: "send_certificate", arguments: { user_id: userId, amount: 100 } }],
    communicate_info: [],
    reward_basis: ["DB", "COMMUNICATE"],
  },
};

function agentDoing(steps: AssistantMessage[]): AgentDriver {
  let i = 0;
  return { label: "scripted agent", nextTurn: async () => structuredClone(steps[Math.min(i++, steps.length - 1)]) };
}
function userSaying(lines: string[]): UserDriver {
  let i = 0;
  return { label: "scripted user", nextTurn: async () => ({ role: "user", content: lines[Math.min(i++, lines.length - 1)] }) };
}

const doCertificate = (amount: number) =>
  agentDoing([
    { role: "assistant", content: null, tool_calls: [{ id: "c1", name: "send_certificate", arguments: { user_id: userId, amount } }], usage: { prompt_tokens: 100, completion_tokens: 10 } },
    { role: "assistant", content: "Done: certificate sent.", usage: { prompt_tokens: 120, completion_tokens: 5 } },
  ]);

describe("runRollout", () => {
  it("scores a trajectory that reaches the gold state as success and returns valid rollout JSON", async () => {
    const r = await runRollout({ task: certificateTask, baseState: state, agent: doCertificate(100), user: userSaying(["I need a certificate", "###STOP###"]), groupId: "g1", sampleIndex: 2 });
    expect(() => rolloutSchema.parse(r)).not.toThrow();
    expect(r).toMatchObject({ task_id: "cert", group_id: "g1", sample_index: 2, outcome: 1, reward: 1, termination: "user_stop" });
    expect(r.rollout_id).toMatch(/^r-/);
    expect(r.gold_actions).toEqual([{ name: "send_certificate", arguments: { user_id: userId, amount: 100 } }]);
    expect(r.usage).toEqual({ prompt_tokens: 220, completion_tokens: 15 });
    expect(r.metadata).toMatchObject({ agent: "scripted agent", user: "scripted user", turns: 2, errors: 0, evaluation: { db_match: true } });
    const tool = r.messages[3];
    expect(tool).toMatchObject({ role: "tool", tool_call_id: "c1", error: false });
  });

  it("a different end state scores 0; a premature end scores 0 and keeps the driver error", async () => {
    const wrong = await runRollout({ task: certificateTask, baseState: state, agent: doCertificate(50), user: userSaying(["hi", "###STOP###"]) });
    expect(wrong).toMatchObject({ outcome: 0, reward: 0, termination: "user_stop" });
    const broken: AgentDriver = {
      label: "broken",
      nextTurn: async () => {
        throw new Error("model exploded");
      },
    };
    const crashed = await runRollout({ task: certificateTask, baseState: state, agent: broken, user: userSaying(["hi"]) });
    expect(crashed).toMatchObject({ outcome: 0, reward: 0, termination: "error" });
    expect(crashed.metadata?.error).toBe("agent driver: model exploded");
  });
});

describe("runGroupBatch", () => {
  it("runs groupSize samples per task with bounded concurrency, one group id per task, in (task, sample) order", async () => {
    let active = 0;
    let peak = 0;
    const slowUser = (): UserDriver => ({
      label: "slow user",
      nextTurn: async ({ messages }) => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((ok) => setTimeout(ok, 10));
        active--;
        return { role: "user", content: messages.length > 2 ? "###STOP###" : "hello" };
      },
    });
    const other: Task = { ...certificateTask, id: "other" };
    const seen: string[] = [];
    const rollouts = await runGroupBatch({
      tasks: [certificateTask, other],
      groupSize: 3,
      concurrency: 2,
      baseStateFor: () => state,
      createAgent: (task, i) => (i === 0 ? doCertificate(100) : agentDoing([{ role: "assistant", content: `sample ${i} of ${task.id}` }])),
      createUser: () => slowUser(),
      onRollout: (r) => void seen.push(`${r.task_id}#${r.sample_index}`),
    });
    expect(rollouts.map((r) => `${r.task_id}#${r.sample_index}`)).toEqual(["cert#0", "cert#1", "cert#2", "other#0", "other#1", "other#2"]);
    expect(new Set(rollouts.slice(0, 3).map((r) => r.group_id)).size).toBe(1);
    expect(rollouts[0].group_id).not.toBe(rollouts[3].group_id);
    expect(rollouts.map((r) => r.outcome)).toEqual([1, 0, 0, 1, 0, 0]);
    expect(seen.sort()).toEqual(rollouts.map((r) => `${r.task_id}#${r.sample_index}`).sort());
    expect(peak).toBeLessThanOrEqual(2);
    expect(peak).toBe(2);
  });
});
