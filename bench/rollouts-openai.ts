/**
 * Throughput of the episode runner + OpenAI drivers (real SDK) against the local
 * stub with a fixed per-request latency: C conversations in flight, each with at
 * most one model call outstanding, so the ideal is C / latency model turns per
 * second. Reports the achieved share (target ≥ 90%). Prints one JSON object.
 * The stub runs in a child process (as a real model server would), so its own
 * request handling does not eat the client's CPU.
 * Steady state: one untimed wave of C episodes first opens the C keep-alive connections and
 * JIT-compiles the client path (a 2-wave run measured from a cold process is mostly that
 * start-up: ≈0.82 of ideal on this machine), then EPISODES are timed.
 * Env: BENCH_C (64), BENCH_LATENCY_MS (100), BENCH_EPISODES (4·C), BENCH_USER_TURNS (4),
 * BENCH_WARMUP_EPISODES (C), BENCH_INPROCESS_STUB=1 to keep the stub in this process.
 */
import { fork } from "node:child_process";
import { AirlineEnv, getGeneratedState, AIRLINE_TOOLS, AIRLINE_POLICY } from "../lib/airline";
import { createOpenAIAgent, createOpenAIUser } from "../lib/agents/openai";
import { mapWithConcurrency } from "../lib/rollouts/pool";
import { runEpisode } from "../lib/rollouts/run-episode";
import type { Task } from "../lib/types/task";
import { reply, startStubServer } from "../tests/stub-openai-server";

const C = Number(process.env.BENCH_C ?? 64);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 100);
const EPISODES = Number(process.env.BENCH_EPISODES ?? 4 * C);
const WARMUP_EPISODES = Number(process.env.BENCH_WARMUP_EPISODES ?? C);
const USER_TURNS = Number(process.env.BENCH_USER_TURNS ?? 4);

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : 0;
}

/** The scripted conversation: the user asks USER_TURNS questions; the agent makes one tool call per question. */
function startScriptedStub() {
  return startStubServer({
    latencyMs: LATENCY_MS,
    handler: (req) => {
      const msgs = req.body?.messages ?? [];
      if (!Array.isArray(req.body?.tools)) {
        // user side: its own earlier turns are the assistant messages
        const own = msgs.filter((m) => m.role === "assistant").length;
        return reply.text(own + 1 >= USER_TURNS ? "Thanks, that's all. ###STOP###" : `Question number ${own + 1}, please.`);
      }
      // agent side: one tool call, then answer once the result is in
      return msgs[msgs.length - 1]?.role === "tool"
        ? reply.text("Here is what I found.")
        : reply.toolCalls([{ name: "list_all_airports", arguments: {} }]);
    },
  });
}

interface StubHandle {
  baseURL: string;
  requestCount(): Promise<number>;
  close(): Promise<void>;
}

async function startStub(): Promise<StubHandle> {
  if (process.env.BENCH_INPROCESS_STUB === "1") {
    const stub = await startScriptedStub();
    return { baseURL: stub.baseURL, requestCount: async () => stub.requests.length, close: () => stub.close() };
  }
  const child = fork(__filename, [], { env: { ...process.env, BENCH_STUB_CHILD: "1" }, execArgv: ["--import", "tsx"], stdio: ["ignore", "ignore", "inherit", "ipc"] });
  const ask = <T>(msg: string) =>
    new Promise<T>((resolve) => {
      child.once("message", (m) => resolve(m as T));
      child.send(msg);
    });
  const { baseURL } = await new Promise<{ baseURL: string }>((resolve) => child.once("message", (m) => resolve(m as { baseURL: string })));
  return {
    baseURL,
    requestCount: () => ask<{ requests: number }>("count").then((m) => m.requests),
    close: async () => {
      await ask("close");
      child.kill();
    },
  };
}

/** Child mode: serve, report the URL, answer "count"/"close" over IPC. */
async function serveChild(): Promise<void> {
  const stub = await startScriptedStub();
  process.send!({ baseURL: stub.baseURL });
  process.on("message", async (m) => {
    if (m === "count") process.send!({ requests: stub.requests.length });
    if (m === "close") {
      await stub.close();
      process.send!({ closed: true });
      process.disconnect();
    }
  });
  // Requests are only counted here; dropping bodies keeps the child's memory flat.
  setInterval(() => {
    for (const r of stub.requests) r.rawBody = "";
  }, 1000).unref();
}

async function main(): Promise<void> {
  const stub = await startStub();
  const state = getGeneratedState();
  const tools = AIRLINE_TOOLS.map((t) => t.schema);
  const task: Task = { id: "bench", user_scenario: { instructions: "Ask a few questions, then stop." } };
  const common = { baseURL: stub.baseURL, apiKey: "sk-bench-not-a-real-key", temperature: 0, timeoutMs: 30_000, maxRetries: 2, limiter: C };
  const latencies: number[] = [];
  let modelCalls = 0;
  let agentTurns = 0;
  const terminations: Record<string, number> = {};

  // Warm-up wave: open the C connections and JIT the paths outside the timed window.
  await mapWithConcurrency(Array.from({ length: Math.max(1, WARMUP_EPISODES) }, (_, i) => i), C, () =>
    runEpisode({ task, env: new AirlineEnv(state), tools, policy: AIRLINE_POLICY, agent: createOpenAIAgent({ ...common, model: "bench-agent" }), user: createOpenAIUser({ ...common, model: "bench-user" }) }),
  );
  const warmupRequests = await stub.requestCount();

  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await mapWithConcurrency(Array.from({ length: EPISODES }, (_, i) => i), C, async () => {
    const r = await runEpisode({
      task,
      env: new AirlineEnv(state),
      tools,
      policy: AIRLINE_POLICY,
      agent: createOpenAIAgent({ ...common, model: "bench-agent" }),
      user: createOpenAIUser({ ...common, model: "bench-user" }),
    });
    terminations[r.termination] = (terminations[r.termination] ?? 0) + 1;
    agentTurns += r.turns;
    for (const m of r.messages) {
      if ((m.role === "assistant" || m.role === "user") && m.latency_ms !== undefined) {
        modelCalls++;
        latencies.push(m.latency_ms);
      }
    }
  });
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const clientCpuShare = (cpu.user + cpu.system) / 1e6 / wallS;
  const stubRequests = (await stub.requestCount()) - warmupRequests;
      await stub.close();

  latencies.sort((a, b) => a - b);
  const turnsPerS = modelCalls / wallS;
  const ideal = C / (LATENCY_MS / 1000);
  const efficiency = turnsPerS / ideal;
  // With equal-length episodes the last wave drains unevenly; the ideal counts only full waves.
  const wavesIdeal = (Math.ceil(EPISODES / C) * (modelCalls / EPISODES) * LATENCY_MS) / 1000;
  process.stdout.write(
    JSON.stringify({
      bench: "rollouts-openai",
      concurrency: C,
      latency_ms: LATENCY_MS,
      episodes: EPISODES,
      warmup_episodes: Math.max(1, WARMUP_EPISODES),
      model_calls: modelCalls,
      agent_turns: agentTurns,
      stub_requests: stubRequests,
      stub_in_process: process.env.BENCH_INPROCESS_STUB === "1",
      terminations,
      wall_s: Number(wallS.toFixed(3)),
      client_cpu_per_call_ms: Number((((cpu.user + cpu.system) / 1000) / modelCalls).toFixed(3)),
      client_cpu_share: Number(clientCpuShare.toFixed(3)),
      turns_per_s: Number(turnsPerS.toFixed(1)),
      ideal_turns_per_s: ideal,
      efficiency: Number(efficiency.toFixed(4)),
      wall_vs_latency_bound: Number((wavesIdeal / wallS).toFixed(4)),
      call_latency_ms: { mean: Number((latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length)).toFixed(1)), p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), max: latencies[latencies.length - 1] ?? 0 },
      target: 0.9,
      pass: efficiency >= 0.9,
    }) + "\n",
  );
}

(process.env.BENCH_STUB_CHILD === "1" ? serveChild() : main()).catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
