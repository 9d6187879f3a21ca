import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgentDriver, createUserDriver, DriverConfigError, setDriverDoubles } from "../lib/agents/factory";
import type { Task } from "../lib/types/task";
import { reply, startStubServer, type StubServer } from "./stub-openai-server";

const task: Task = { id: "1", user_scenario: { instructions: "hi" } };
let stub: StubServer;
beforeAll(async () => {
  stub = await startStubServer();
});
afterAll(async () => {
  await stub.close();
});

describe("driver factory", () => {
  it("rejects invalid configs with the offending field named", () => {
    expect(() => createAgentDriver({ kind: "openai", baseURL: "not a url", model: "m" }, { task, seed: 1 })).toThrow(DriverConfigError);
    expect(() => createAgentDriver({ kind: "openai", baseURL: "http://x/v1", model: "" }, { task, seed: 1 })).toThrow(/model/);
    expect(() => createAgentDriver({ kind: "simulated", preset: "genius" as "expert" }, { task, seed: 1 })).toThrow(/preset/);
    expect(() => createUserDriver({ kind: "nope" } as unknown as { kind: "simulated" }, { task, seed: 1 })).toThrow(DriverConfigError);
  });

  it("builds OpenAI drivers whose key comes from the named environment variable", async () => {
    stub.enqueue(reply.text("hello"), reply.text("user says hi"));
    const env = { MY_KEY: "sk-from-env-ABCDEFGHIJKL" };
    const agent = createAgentDriver({ kind: "openai", baseURL: stub.baseURL, model: "m", apiKeyEnv: "MY_KEY" }, { task, seed: 1, env });
    const m = await agent.nextTurn({ messages: [], tools: [], policy: "p" });
    expect(m.content).toBe("hello");
    expect(stub.requests.at(-1)!.headers.authorization).toBe("Bearer sk-from-env-ABCDEFGHIJKL");
    expect(stub.requests.at(-1)!.body!.temperature).toBe(0);
    const user = createUserDriver({ kind: "openai", baseURL: stub.baseURL, model: "u", apiKeyEnv: "MY_KEY" }, { task, seed: 1, env });
    expect((await user.nextTurn({ messages: [], task })).content).toBe("user says hi");
    expect(() => createAgentDriver({ kind: "openai", baseURL: stub.baseURL, model: "m", apiKeyEnv: "MISSING_KEY" }, { task, seed: 1, env })).toThrow(/MISSING_KEY is not set/);
  });

  it("routes every creation through the test doubles while set, and restores afterwards", async () => {
    const restore = setDriverDoubles({
      agent: (config, ctx) => ({ label: `double ${config.kind} ${ctx.seed}`, nextTurn: async () => ({ role: "assistant", content: "double" }) }),
      user: () => ({ label: "double user", nextTurn: async () => ({ role: "user", content: "###STOP###" }) }),
    });
    try {
      const a = createAgentDriver({ kind: "openai", baseURL: "http://127.0.0.1:1/v1", model: "m" }, { task, seed: 42 });
      expect(a.label).toBe("double openai 42");
      expect((await a.nextTurn({ messages: [], tools: [], policy: "" })).content).toBe("double");
      expect(createUserDriver({ kind: "simulated" }, { task, seed: 1 }).label).toBe("double user");
    } finally {
      restore();
    }
    expect(createAgentDriver({ kind: "openai", baseURL: "http://127.0.0.1:1/v1", model: "m" }, { task, seed: 42 }).label).toBe("openai agent (m)");
  });

  it("builds the simulated drivers", () => {
    const a = createAgentDriver({ kind: "simulated", preset: "expert" }, { task, seed: 3 });
    const u = createUserDriver({ kind: "simulated" }, { task, seed: 3 });
    expect(typeof a.nextTurn).toBe("function");
    expect(typeof u.nextTurn).toBe("function");
  });
});
