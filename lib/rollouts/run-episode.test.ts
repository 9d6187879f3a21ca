import { describe, expect, it } from "vitest";
import type { AgentDriver, AgentTurnInput, UserDriver } from "../agents/types";
import { AGENT_GREETING, type AssistantMessage, type Message, type UserMessage } from "../types/messages";
import type { Task } from "../types/task";
import { runEpisode, type ToolEnv } from "./run-episode";
import { mapWithConcurrency } from "./pool";

const task: Task = { id: "t1", user_scenario: { instructions: "change my flight" } };

/** Scripted agent: returns the scripted replies in order and counts calls. */
function scriptedAgent(script: (AssistantMessage | ((input: AgentTurnInput) => AssistantMessage))[]) {
  let i = 0;
  const driver: AgentDriver & { calls: number } = {
    label: "scripted agent",
    calls: 0,
    async nextTurn(input) {
      driver.calls++;
      const step = script[Math.min(i++, script.length - 1)];
      return typeof step === "function" ? step(input) : structuredClone(step);
    },
  };
  return driver;
}

function scriptedUser(replies: string[]) {
  let i = 0;
  const driver: UserDriver & { calls: number } = {
    label: "scripted user",
    calls: 0,
    async nextTurn(): Promise<UserMessage> {
      driver.calls++;
      return { role: "user", content: replies[Math.min(i++, replies.length - 1)], usage: { prompt_tokens: 5, completion_tokens: 1 } };
    },
  };
  return driver;
}

/** A counter env: "inc" adds to a value (a write), "get" reads it, "boom" errors. */
function counterEnv(): ToolEnv & { value: number; log: string[] } {
  const env = {
    value: 0,
    log: [] as string[],
    call(name: string, args: unknown) {
      env.log.push(name);
      if (name === "inc") {
        env.value += Number((args as { by?: number }).by ?? 1);
        return { error: false, content: JSON.stringify(env.value) };
      }
      if (name === "get") return { error: false, content: JSON.stringify(env.value) };
      return { error: true, content: `Error: unknown tool ${name}` };
    },
  };
  return env;
}

const text = (content: string, usage = { prompt_tokens: 10, completion_tokens: 2 }): AssistantMessage => ({ role: "assistant", content, usage });
const calls = (...cs: [string, Record<string, unknown> | string][]): AssistantMessage => ({
  role: "assistant",
  content: null,
  tool_calls: cs.map(([name, args], k) => ({ id: `id${k}`, name, arguments: args })),
  usage: { prompt_tokens: 10, completion_tokens: 3 },
});

const base = { task, tools: [], policy: "be nice" };

describe("runEpisode", () => {
  it("runs greeting → user → agent tool calls → tool messages → agent text → user stop", async () => {
    const env = counterEnv();
    const agent = scriptedAgent([calls(["inc", { by: 2 }], ["get", {}]), text("done, it is 2")]);
    const user = scriptedUser(["please add two", "thanks ###STOP###"]);
    const seen: [string, number][] = [];
    const r = await runEpisode({ ...base, env, agent, user, onMessage: (m, i) => void seen.push([m.role, i]) });
    expect(r.termination).toBe("user_stop");
    expect(r.messages.map((m) => m.role)).toEqual(["assistant", "user", "assistant", "tool", "tool", "assistant", "user"]);
    expect(r.messages[0]).toEqual({ role: "assistant", content: AGENT_GREETING });
    expect(r.messages.slice(3, 5)).toEqual([
      { role: "tool", tool_call_id: "id0", content: "2", error: false },
      { role: "tool", tool_call_id: "id1", content: "2", error: false },
    ]);
    expect(seen).toEqual(r.messages.map((m, i) => [m.role, i]));
    expect(r.turns).toBe(2);
    expect(r.errors).toBe(0);
    expect(r.usage).toEqual({ prompt_tokens: 20, completion_tokens: 5 });
    expect(r.userUsage).toEqual({ prompt_tokens: 10, completion_tokens: 2 });
    expect(env.value).toBe(2);
  });

  it("awaits onMessage before taking the next step", async () => {
    const order: string[] = [];
    const agent: AgentDriver = {
      label: "a",
      async nextTurn() {
        order.push("agent");
        return text("hi");
      },
    };
    const user: UserDriver = {
      label: "u",
      async nextTurn({ messages }) {
        order.push("user");
        return { role: "user", content: messages.length > 2 ? "###STOP###" : "hello" };
      },
    };
    await runEpisode({
      ...base,
      env: counterEnv(),
      agent,
      user,
      onMessage: async (m, i) => {
        await new Promise((ok) => setTimeout(ok, 5));
        order.push(`saved ${i} ${m.role}`);
      },
    });
    expect(order).toEqual(["saved 0 assistant", "user", "saved 1 user", "agent", "saved 2 assistant", "user", "saved 3 user"]);
  });

  it("ends with max_turns after K agent turns (greeting not counted)", async () => {
    const agent = scriptedAgent([text("what else?")]);
    const r = await runEpisode({ ...base, env: counterEnv(), agent, user: scriptedUser(["more"]), maxTurns: 3 });
    expect(r.termination).toBe("max_turns");
    expect(r.turns).toBe(3);
    expect(agent.calls).toBe(3);
  });

  it("counts tool errors and malformed arguments toward max errors", async () => {
    const env = counterEnv();
    const agent = scriptedAgent([calls(["boom", {}], ["inc", "{not json"])]);
    const r = await runEpisode({ ...base, env, agent, user: scriptedUser(["go"]), maxErrors: 4 });
    expect(r.termination).toBe("too_many_errors");
    expect(r.errors).toBe(4);
    const tools = r.messages.filter((m) => m.role === "tool");
    expect(tools).toHaveLength(4);
    expect(tools.every((m) => m.role === "tool" && m.error)).toBe(true);
    // the malformed call never reached the env
    expect(env.log).toEqual(["boom", "boom"]);
    expect(tools[1].content).toMatch(/not valid JSON/);
  });

  it("records failed agent turns (error set), retries the agent, and stops at max errors", async () => {
    const failed: AssistantMessage = { role: "assistant", content: null, error: "server (HTTP 500): boom [after 3 attempts]" };
    const agent = scriptedAgent([failed]);
    const r = await runEpisode({ ...base, env: counterEnv(), agent, user: scriptedUser(["hi"]), maxErrors: 3 });
    expect(r.termination).toBe("too_many_errors");
    expect(agent.calls).toBe(3);
    expect(r.messages.filter((m) => m.role === "assistant" && m.error)).toHaveLength(3);
  });

  it("a failed agent turn followed by a good one continues normally", async () => {
    const agent = scriptedAgent([{ role: "assistant", content: null, error: "timeout" }, text("sorry, how can I help?")]);
    const r = await runEpisode({ ...base, env: counterEnv(), agent, user: scriptedUser(["hi", "###STOP###"]) });
    expect(r.termination).toBe("user_stop");
    expect(r.errors).toBe(1);
    expect(r.messages.map((m) => m.role)).toEqual(["assistant", "user", "assistant", "assistant", "user"]);
  });

  it("a throwing driver ends the episode with termination error and its message", async () => {
    const agent: AgentDriver = {
      label: "a",
      async nextTurn() {
        throw new Error("kaput");
      },
    };
    const r = await runEpisode({ ...base, env: counterEnv(), agent, user: scriptedUser(["hi"]) });
    expect(r.termination).toBe("error");
    expect(r.error).toBe("agent driver: kaput");
    const user: UserDriver = {
      label: "u",
      async nextTurn() {
        throw new Error("no user");
      },
    };
    const r2 = await runEpisode({ ...base, env: counterEnv(), agent: scriptedAgent([text("x")]), user });
    expect(r2).toMatchObject({ termination: "error", error: "user driver: no user" });
    expect(r2.messages).toHaveLength(1);
  });

  it("agent text with ###STOP### ends with agent_stop", async () => {
    const r = await runEpisode({ ...base, env: counterEnv(), agent: scriptedAgent([text("###STOP###")]), user: scriptedUser(["hi"]) });
    expect(r.termination).toBe("agent_stop");
  });

  it("gives calls without (or with duplicate) ids unique ids that tool messages reference", async () => {
    const msg: AssistantMessage = {
      role: "assistant",
      content: "checking",
      tool_calls: [
        { id: "", name: "get", arguments: {} },
        { id: "dup", name: "get", arguments: {} },
        { id: "dup", name: "get", arguments: {} },
      ],
    };
    const r = await runEpisode({ ...base, env: counterEnv(), agent: scriptedAgent([msg, text("ok")]), user: scriptedUser(["hi", "###STOP###"]) });
    const a = r.messages[2] as AssistantMessage;
    const ids = a.tool_calls!.map((c) => c.id);
    expect(new Set(ids).size).toBe(3);
    expect(ids.every((id) => id !== "")).toBe(true);
    expect(a.content).toBe("checking");
    expect(r.messages.slice(3, 6).map((m) => (m.role === "tool" ? m.tool_call_id : ""))).toEqual(ids);
  });

  describe("resume", () => {
    /** A full run to compare with; then cut it at every point and resume. */
    const script = () => [calls(["inc", { by: 3 }]), calls(["inc", { by: 4 }], ["get", {}]), text("now 7"), text("bye")];
    const userReplies = ["add 3 then 4", "thanks", "###STOP###"];

    it("continues from every cut point without repeating a saved driver call, with the same env state", async () => {
      const full = await runEpisode({ ...base, env: counterEnv(), agent: scriptedAgent(script()), user: scriptedUser(userReplies) });
      expect(full.termination).toBe("user_stop");
      const totalAgentCalls = full.messages.filter((m, i) => i > 0 && m.role === "assistant").length;
      const totalUserCalls = full.messages.filter((m) => m.role === "user").length;

      for (let cut = 0; cut < full.messages.length; cut++) {
        const saved = full.messages.slice(0, cut);
        const savedAgent = saved.filter((m, i) => i > 0 && m.role === "assistant").length;
        const savedUser = saved.filter((m) => m.role === "user").length;
        const agent = scriptedAgent(script().slice(savedAgent));
        const user = scriptedUser(userReplies.slice(savedUser));
        const env = counterEnv();
        const newIndexes: number[] = [];
        const r = await runEpisode({ ...base, env, agent, user, initialMessages: saved, onMessage: (_m, i) => void newIndexes.push(i) });
        expect(r.messages, `cut ${cut}`).toEqual(full.messages);
        expect(r.termination).toBe("user_stop");
        expect(agent.calls, `cut ${cut}`).toBe(totalAgentCalls - savedAgent);
        expect(user.calls, `cut ${cut}`).toBe(totalUserCalls - savedUser);
        expect(env.value, `cut ${cut}`).toBe(7);
        expect(newIndexes[0] ?? full.messages.length).toBe(cut);
        expect(r.turns).toBe(full.turns);
        expect(r.usage).toEqual(full.usage);
      }
    });

    it("a saved episode that already ended is not continued", async () => {
      const saved: Message[] = [{ role: "assistant", content: AGENT_GREETING }, { role: "user", content: "###STOP###" }];
      const agent = scriptedAgent([text("x")]);
      const r = await runEpisode({ ...base, env: counterEnv(), agent, user: scriptedUser(["x"]), initialMessages: saved });
      expect(r.termination).toBe("user_stop");
      expect(agent.calls).toBe(0);
    });
  });
});

describe("mapWithConcurrency", () => {
  it("keeps order and never exceeds the limit", async () => {
    let active = 0;
    let peak = 0;
    const out = await mapWithConcurrency([5, 1, 4, 2, 3, 0, 6], 3, async (x) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((ok) => setTimeout(ok, x * 3));
      active--;
      return x * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 0, 60]);
    expect(peak).toBe(3);
  });

  it("rethrows the first failure", async () => {
    await expect(mapWithConcurrency([1, 2, 3], 2, async (x) => {
      if (x === 2) throw new Error("two");
      return x;
    })).rejects.toThrow("two");
  });
});
