/**
 * The OpenAI-compatible drivers with the real `openai` SDK against the local stub
 * server: what is sent (wire format), what is recorded (rollout messages), retries,
 * timeouts, and that the API key never leaks into recorded messages or errors.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createOpenAIAgent, createOpenAIUser, testConnection, UserDriverError } from "../lib/agents/openai";
import { getEndpointLimiter, Semaphore } from "../lib/agents/openai/limiter";
import { TAU2_AGENT_INSTRUCTION } from "../lib/agents/openai/prompts";
import type { AgentDriver, ToolSchema, UserDriver } from "../lib/agents/types";
import { runEpisode, type ToolEnv } from "../lib/rollouts/run-episode";
import { AGENT_GREETING, type AssistantMessage, type Message } from "../lib/types/messages";
import type { Task } from "../lib/types/task";
import { completionBody, reply, startStubServer, type StubServer } from "./stub-openai-server";

const API_KEY = "sk-test-SECRET-0123456789abcdef";
const tools: ToolSchema[] = [
  { type: "function", function: { name: "get_user_details", description: "Look up a user", parameters: { type: "object", properties: { user_id: { type: "string" } }, required: ["user_id"] } } },
  { type: "function", function: { name: "list_all_airports", description: "List airports", parameters: { type: "object", properties: {} } } },
];
const task: Task = {
  id: "7",
  user_scenario: {
    persona: null,
    instructions: { domain: "airline", reason_for_call: "You want to cancel.", known_info: "Your user id is mia_1.", unknown_info: null, task_instructions: "Be brief." },
  },
};
const history: Message[] = [
  { role: "assistant", content: AGENT_GREETING },
  { role: "user", content: "I want to cancel." },
];

let stub: StubServer;
beforeAll(async () => {
  stub = await startStubServer();
});
afterAll(async () => {
  await stub.close();
});
beforeEach(() => {
  stub.requests.length = 0;
  stub.setHandler(undefined);
  stub.setLatency(0);
});

function agent(extra: Partial<Parameters<typeof createOpenAIAgent>[0]> = {}) {
  return createOpenAIAgent({
    baseURL: stub.baseURL,
    model: "stub-model",
    apiKey: API_KEY,
    temperature: 0,
    timeoutMs: 2_000,
    maxRetries: 2,
    retryBaseDelayMs: 5,
    retryMaxDelayMs: 20,
    ...extra,
  });
}
const turn = (a: AgentDriver, messages: readonly Message[] = history) => a.nextTurn({ messages, tools, policy: "POLICY TEXT" });

function assertNoKey(value: unknown) {
  const s = JSON.stringify(value);
  expect(s).not.toContain(API_KEY);
  expect(s).not.toContain(API_KEY.slice(0, 12));
}

describe("openai agent driver: what it sends", () => {
  it("sends τ²'s system prompt, the tools with tool_choice auto, and the key only in the Authorization header", async () => {
    stub.enqueue(reply.text("Sure."));
    const m = await turn(agent());
    expect(m).toMatchObject({ role: "assistant", content: "Sure.", usage: { prompt_tokens: 11, completion_tokens: 7 } });
    expect(typeof m.latency_ms).toBe("number");
    const req = stub.requests[0];
    expect(req.path).toBe("/v1/chat/completions");
    expect(req.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(req.rawBody).not.toContain(API_KEY);
    const body = req.body!;
    expect(body.model).toBe("stub-model");
    expect(body.temperature).toBe(0);
    expect(body.tool_choice).toBe("auto");
    expect(body.tools!.map((t) => t.function.name)).toEqual(["get_user_details", "list_all_airports"]);
    expect(body.messages![0]).toEqual({ role: "system", content: `<instructions>\n${TAU2_AGENT_INSTRUCTION}\n</instructions>\n<policy>\nPOLICY TEXT\n</policy>` });
    expect(body.messages!.slice(1)).toEqual([
      { role: "assistant", content: AGENT_GREETING },
      { role: "user", content: "I want to cancel." },
    ]);
  });

  it("serialises history tool calls as OpenAI wire calls (string arguments, tool_call_id), synthesizing missing ids", async () => {
    stub.enqueue(reply.text("done"));
    const convo: Message[] = [
      ...history,
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "call_a", name: "get_user_details", arguments: { user_id: "mia_1" } },
          { id: "", name: "list_all_airports", arguments: {} },
          { id: "", name: "get_user_details", arguments: "{broken" },
        ],
      },
      { role: "tool", tool_call_id: "call_a", content: "{\"user_id\":\"mia_1\"}", error: false },
      { role: "tool", tool_call_id: "", content: "[]", error: false },
      { role: "tool", tool_call_id: "", content: "Error: bad args", error: true },
      { role: "assistant", content: null, error: "timeout [after 3 attempts]" },
      { role: "assistant", content: "Anything else?" },
    ];
    await turn(agent(), convo);
    const sent = stub.requests[0].body!.messages!;
    const a = sent[3] as { role: string; content: unknown; tool_calls: { id: string; type: string; function: { name: string; arguments: string } }[] };
    expect(a.role).toBe("assistant");
    expect(a.content).toBeNull();
    expect(a.tool_calls[0]).toEqual({ id: "call_a", type: "function", function: { name: "get_user_details", arguments: "{\"user_id\":\"mia_1\"}" } });
    expect(a.tool_calls[1].function).toEqual({ name: "list_all_airports", arguments: "{}" });
    for (const c of a.tool_calls) expect(typeof c.function.arguments).toBe("string");
    // synthesized ids: 9 alphanumerics, distinct, and paired with the id-less tool results in order
    const synth = [a.tool_calls[1].id, a.tool_calls[2].id];
    for (const id of synth) expect(id).toMatch(/^[a-zA-Z0-9]{9}$/);
    expect(new Set(synth).size).toBe(2);
    // an invalid-JSON argument string is sent as valid JSON (vLLM/SGLang json.loads history arguments)
    expect(JSON.parse(a.tool_calls[2].function.arguments)).toEqual({ invalid_arguments: "{broken" });
    expect(sent.slice(4, 7)).toEqual([
      { role: "tool", tool_call_id: "call_a", content: "{\"user_id\":\"mia_1\"}" },
      { role: "tool", tool_call_id: synth[0], content: "[]" },
      { role: "tool", tool_call_id: synth[1], content: "Error: bad args" },
    ]);
    // the failed (error) turn is not sent; the text turn is
    expect(sent.slice(7)).toEqual([{ role: "assistant", content: "Anything else?" }]);
  });
});

describe("openai agent driver: reply parsing", () => {
  it("keeps parallel tool calls in order, with their ids, text alongside, and unknown tools", async () => {
    stub.enqueue({
      body: completionBody({
        content: "Let me check.",
        toolCalls: [
          { id: "c1", name: "get_user_details", arguments: { user_id: "mia_1" } },
          { id: "c2", name: "list_all_airports", arguments: "" },
          { id: "c3", name: "teleport", arguments: { to: "LAX" } },
        ],
        finishReason: "stop",
      }),
    });
    const m = await turn(agent());
    expect(m.content).toBe("Let me check.");
    expect(m.tool_calls).toEqual([
      { id: "c1", name: "get_user_details", arguments: { user_id: "mia_1" } },
      { id: "c2", name: "list_all_airports", arguments: {} },
      { id: "c3", name: "teleport", arguments: { to: "LAX" } },
    ]);
    expect(m.error).toBeUndefined();
  });

  it("keeps a malformed arguments string raw, and synthesizes a missing call id", async () => {
    stub.enqueue({ body: completionBody({ toolCalls: [{ id: "", name: "get_user_details", arguments: "{\"user_id\": \"mia_1\"" }] }) });
    const m = await turn(agent());
    expect(m.tool_calls).toHaveLength(1);
    expect(m.tool_calls![0].arguments).toBe("{\"user_id\": \"mia_1\"");
    expect(m.tool_calls![0].id).toMatch(/^[a-zA-Z0-9]{9}$/);
  });

  it("parses vLLM/SGLang raw <tool_call> text when tool_calls is absent, strips <think>, accepts reasoning_content and missing usage", async () => {
    stub.enqueue({
      body: completionBody({
        content: '<think>need the user</think>Checking.\n<tool_call>\n{"name": "get_user_details", "arguments": {"user_id": "mia_1"}}\n</tool_call><tool_call>{"name": "list_all_airports", "arguments": {"x": </tool_call>',
        usage: null,
        messageExtra: { reasoning_content: "thinking..." },
      }),
    });
    const m = await turn(agent());
    expect(m.content).toBe("Checking.");
    expect(m.tool_calls!.map((c) => [c.name, c.arguments])).toEqual([
      ["get_user_details", { user_id: "mia_1" }],
      ["list_all_airports", '{"x":'],
    ]);
    expect(m.usage).toBeUndefined();
    expect(JSON.stringify(m)).not.toContain("need the user");
  });

  it("detects calls from tool_calls even with finish_reason stop, and text-only with finish_reason tool_calls", async () => {
    stub.enqueue({ body: completionBody({ toolCalls: [{ name: "list_all_airports", arguments: {} }], finishReason: "stop" }) });
    stub.enqueue({ body: completionBody({ content: "Hello", finishReason: "tool_calls" }) });
    const a = agent();
    expect((await turn(a)).tool_calls).toHaveLength(1);
    const m2 = await turn(a);
    expect(m2.tool_calls).toBeUndefined();
    expect(m2.content).toBe("Hello");
  });

  it("accepts usage without optional sub-objects and with extra ones", async () => {
    stub.enqueue({ body: completionBody({ content: "x", usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7, completion_tokens_details: { reasoning_tokens: 2 } } }) });
    expect((await turn(agent())).usage).toEqual({ prompt_tokens: 3, completion_tokens: 4 });
  });
});

describe("openai agent driver: failures and retries", () => {
  it("retries a 429 and then succeeds (attempts recorded in stats and the retry hook)", async () => {
    stub.enqueue(reply.error(429, "slow down"), reply.error(429, "slow down"), reply.text("finally"));
    const retries: number[] = [];
    const a = agent({ onRetry: (e) => retries.push(e.attempt) });
    const m = await turn(a);
    expect(m).toMatchObject({ content: "finally" });
    expect(m.error).toBeUndefined();
    expect(stub.requests).toHaveLength(3);
    expect(retries).toEqual([1, 2]);
    expect(a.stats()).toMatchObject({ calls: 1, attempts: 3, retries: 2, failures: 0 });
  });

  it("retries a 500 until retries run out, then returns an assistant message with error set (no throw)", async () => {
    stub.setHandler(() => reply.error(500, `internal failure for key ${API_KEY}`));
    const a = agent({ maxRetries: 2 });
    const m = await turn(a);
    expect(stub.requests).toHaveLength(3);
    expect(m.role).toBe("assistant");
    expect(m.content).toBeNull();
    expect(m.tool_calls).toBeUndefined();
    expect(m.error).toMatch(/server \(HTTP 500\).*after 3 attempts/);
    assertNoKey(m);
  });

  it("does not retry a 400 or a 401, and redacts a key echoed by the server", async () => {
    stub.enqueue(reply.error(401, `Incorrect API key provided: ${API_KEY.slice(0, 14)}***${API_KEY.slice(-4)}`));
    const m = await turn(agent());
    expect(stub.requests).toHaveLength(1);
    expect(m.error).toMatch(/client \(HTTP 401\)/);
    assertNoKey(m);
    expect(m.error).not.toContain("SECRET");
    stub.requests.length = 0;
    stub.enqueue(reply.error(400, "\"auto\" tool choice requires --enable-auto-tool-choice"));
    const m2 = await turn(agent());
    expect(stub.requests).toHaveLength(1);
    expect(m2.error).toMatch(/HTTP 400.*auto/);
  });

  it("times out a slow reply, retries, and records the timeout", async () => {
    stub.setHandler(() => ({ ...reply.text("too late"), delayMs: 600 }));
    const a = agent({ timeoutMs: 150, maxRetries: 1 });
    const t0 = Date.now();
    const m = await turn(a);
    expect(Date.now() - t0).toBeLessThan(1_500);
    expect(stub.requests).toHaveLength(2);
    expect(m.error).toMatch(/timeout.*after 2 attempts/);
  });

  it("a timeout followed by success recovers", async () => {
    stub.enqueue({ ...reply.text("late"), delayMs: 600 }, reply.text("on time"));
    const m = await turn(agent({ timeoutMs: 200, maxRetries: 2 }));
    expect(m.content).toBe("on time");
  });

  it("a connection error (nothing listening) is retried then recorded", async () => {
    const closed = await startStubServer();
    const url = closed.baseURL;
    await closed.close();
    const m = await createOpenAIAgent({ baseURL: url, model: "m", apiKey: API_KEY, timeoutMs: 500, maxRetries: 1, retryBaseDelayMs: 1 }).nextTurn({ messages: history, tools, policy: "p" });
    expect(m.error).toMatch(/connection.*after 2 attempts/);
    assertNoKey(m);
  });
});

describe("openai user driver", () => {
  function user(extra: Partial<Parameters<typeof createOpenAIUser>[0]> = {}): UserDriver {
    return createOpenAIUser({ baseURL: stub.baseURL, model: "user-model", apiKey: API_KEY, temperature: 0, timeoutMs: 2_000, maxRetries: 1, retryBaseDelayMs: 1, ...extra });
  }

  it("sends guidelines + <scenario>, the conversation role-flipped, no tools and no tool messages", async () => {
    stub.enqueue(reply.text("My id is mia_1."));
    const convo: Message[] = [
      ...history,
      { role: "assistant", content: null, tool_calls: [{ id: "c1", name: "get_user_details", arguments: { user_id: "x" } }] },
      { role: "tool", tool_call_id: "c1", content: "{}", error: false },
      { role: "assistant", content: "What is your user id?" },
    ];
    const m = await user().nextTurn({ messages: convo, task });
    expect(m).toMatchObject({ role: "user", content: "My id is mia_1.", usage: { prompt_tokens: 11, completion_tokens: 7 } });
    const body = stub.requests[0].body!;
    expect(body.tools).toBeUndefined();
    expect(body.tool_choice).toBeUndefined();
    const sys = body.messages![0] as { role: string; content: string };
    expect(sys.role).toBe("system");
    expect(sys.content).toContain("###STOP###");
    expect(sys.content).toContain(
      "<scenario>\nInstructions:\n\tDomain: airline\n\tReason for call:\n\t\tYou want to cancel.\n\tKnown info:\n\t\tYour user id is mia_1.\n\tTask instructions:\n\t\tBe brief.\n</scenario>",
    );
    expect(body.messages!.slice(1)).toEqual([
      { role: "user", content: AGENT_GREETING },
      { role: "assistant", content: "I want to cancel." },
      { role: "user", content: "What is your user id?" },
    ]);
  });

  it("throws a redacted UserDriverError after retries, which the runner records as termination error", async () => {
    stub.setHandler(() => reply.error(503, `overloaded ${API_KEY}`));
    const u = user();
    await expect(u.nextTurn({ messages: history, task })).rejects.toBeInstanceOf(UserDriverError);
    const env: ToolEnv = { call: () => ({ error: false, content: "{}" }) };
    const r = await runEpisode({ task, env, agent: agent(), user: u, tools, policy: "p" });
    expect(r.termination).toBe("error");
    expect(r.error).toMatch(/user driver: user simulator failed: server \(HTTP 503\)/);
    assertNoKey(r);
  });
});

describe("full episode against the stub (real SDK both sides)", () => {
  it("lands scripted calls, a malformed call, a 429 and a 500 in the rollout messages as specified", async () => {
    const isAgent = (b: { tools?: unknown } | undefined) => Array.isArray(b?.tools);
    let agentStep = 0;
    let userStep = 0;
    stub.setHandler((req) => {
      if (!isAgent(req.body)) return reply.text(userStep++ === 0 ? "Cancel my trip, id mia_1." : "Thanks. ###STOP###");
      const step = agentStep++;
      switch (step) {
        case 0: return reply.error(429, "rate limited");
        case 1: return reply.toolCalls([{ id: "p1", name: "get_user_details", arguments: { user_id: "mia_1" } }, { id: "p2", name: "list_all_airports", arguments: {} }]);
        case 2: return reply.toolCalls([{ id: "bad", name: "get_user_details", arguments: "{\"user_id\": " }]);
        case 3: case 4: case 5: return reply.error(500, "boom");
        default: return reply.text("Your trip is cancelled.");
      }
    });
    const env: ToolEnv & { calls: string[] } = {
      calls: [],
      call(name, args) {
        env.calls.push(`${name} ${JSON.stringify(args)}`);
        return { error: false, content: "{\"ok\":true}" };
      },
    };
    const stored: Message[] = [];
    const r = await runEpisode({ task, env, agent: agent({ maxRetries: 2 }), user: createOpenAIUser({ baseURL: stub.baseURL, model: "u", apiKey: API_KEY, timeoutMs: 2_000, maxRetries: 0 }), tools, policy: "p", onMessage: (m) => void stored.push(m) });
    expect(r.termination).toBe("user_stop");
    expect(stored).toEqual(r.messages);
    const shape = r.messages.map((m) => (m.role === "tool" ? `tool:${m.tool_call_id}:${m.error}` : m.role === "assistant" ? `assistant${m.error ? ":error" : ""}${m.tool_calls ? `:${m.tool_calls.length}calls` : ""}` : "user"));
    expect(shape).toEqual([
      "assistant",
      "user",
      "assistant:2calls",
      "tool:p1:false",
      "tool:p2:false",
      "assistant:1calls",
      "tool:bad:true",
      "assistant:error",
      "assistant",
      "user",
    ]);
    expect((r.messages[5] as AssistantMessage).tool_calls![0].arguments).toBe("{\"user_id\": ");
    expect(env.calls).toEqual(['get_user_details {"user_id":"mia_1"}', "list_all_airports {}"]);
    expect(r.errors).toBe(2);
    expect(r.turns).toBe(4);
    assertNoKey(r);
    for (const req of stub.requests) expect(req.rawBody).not.toContain(API_KEY);
  });
});

describe("endpoint limiter and testConnection", () => {
  it("never has more than the endpoint limit in flight, shared across drivers", async () => {
    stub.setLatency(40);
    const limiter = new Semaphore(3);
    let peak = 0;
    const a1 = agent({ limiter });
    const a2 = agent({ limiter });
    const watch = setInterval(() => (peak = Math.max(peak, limiter.inFlight)), 2);
    await Promise.all(Array.from({ length: 10 }, (_, i) => turn(i % 2 ? a1 : a2)));
    clearInterval(watch);
    expect(stub.requests).toHaveLength(10);
    expect(peak).toBeLessThanOrEqual(3);
    expect(peak).toBeGreaterThan(1);
  });

  it("getEndpointLimiter is one per baseURL+model", () => {
    const a = getEndpointLimiter("http://h/v1/", "m", 4);
    expect(getEndpointLimiter("http://h/v1", "m")).toBe(a);
    expect(a.max).toBe(4);
    expect(getEndpointLimiter("http://h/v1", "other")).not.toBe(a);
  });

  it("testConnection reports ok, latency and the served model; errors are redacted", async () => {
    stub.enqueue({ body: completionBody({ content: "ok", model: "served-alias" }) });
    const ok = await testConnection({ baseURL: stub.baseURL, model: "stub-model", apiKey: API_KEY });
    expect(ok).toMatchObject({ ok: true, model: "served-alias" });
    expect(ok.latency_ms).toBeGreaterThanOrEqual(0);
    stub.enqueue(reply.error(401, `bad key ${API_KEY}`));
    const bad = await testConnection({ baseURL: stub.baseURL, model: "stub-model", apiKey: API_KEY });
    expect(bad.ok).toBe(false);
    expect(bad.error).toMatch(/HTTP 401/);
    assertNoKey(bad);
  });
});
