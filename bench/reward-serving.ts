/**
 * Reward serving bench (issue 16): a group of 8 trajectories × 30 agent turns of a demo task
 * scored end to end over HTTP (parse, replay + evaluate, classify, tier, rewards, advantages,
 * JSON answer) by POST /api/v1/reward-configs/:iteration/score.
 *
 * Measures, with BENCH_CLIENTS (8) concurrent clients sending BENCH_REQUESTS (2,000) requests:
 *  - latency p50 / p99 per request;
 *  - trajectories/s (the server runs the scoring on one JS thread, so this is per core);
 *  - the server's RSS sampled every BENCH_RSS_EVERY requests (flat = no leak; run with
 *    BENCH_REQUESTS=100000 for the long check);
 *  - a page's p50 while the load runs, against its p50 on the idle server.
 * Every request carries fresh trajectory ids, so the answer cache never serves it.
 *
 * Target: by default a child server (tests/reward-serving-server.ts with the demo task set:
 * the real route handlers behind node:http, no pages: the "page" is then GET of an unknown
 * path, i.e. the event loop's answer time). BENCH_URL=http://127.0.0.1:3100 targets a running
 * WRIT Lab instead (its demo experiment's latest iteration, BENCH_PAGE = /experiments), with
 * BENCH_SERVER_PID for its RSS. Prints one JSON object.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { getGeneratedState, DEFAULT_STATE_SEED, toolKind } from "../lib/airline";
import { AirlineEnv } from "../lib/airline/toolkit/airline-env";
import { synthesizeDemoTasks } from "../lib/demo/pipeline";
import { oracleTrajectory } from "../lib/rollouts/oracle";
import type { Message } from "../lib/types/messages";
import type { Task } from "../lib/types/task";

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2_000);
const RSS_EVERY = Number(process.env.BENCH_RSS_EVERY ?? Math.max(100, Math.floor(REQUESTS / 10)));
const GROUP = 8;
const TURNS = 30;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : null;
};
const r1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);

/**
 * Sample v of the group: the task's oracle trajectory (real tool results), padded with the
 * task's planned reads to exactly TURNS agent turns; some samples drop a write (fail), call an
 * unknown tool (error turn) or repeat a call (duplicate), so tiers and outcomes vary.
 */
function trajectory(task: Task, v: number): Message[] {
  const base = getGeneratedState(task.writ?.state_seed ?? DEFAULT_STATE_SEED);
  const messages = oracleTrajectory(task, base);
  const final = messages.splice(messages.length - 2, 2);
  if (v % 4 === 1) {
    const lastWrite = messages.map((m) => m.role === "assistant" && m.tool_calls?.length === 1 && toolKind(m.tool_calls[0].name) === "write").lastIndexOf(true);
    if (lastWrite > 1) messages.splice(lastWrite, 2);
  }
  const env = new AirlineEnv(base);
  const reads = task.writ?.read_plan?.length ? task.writ.read_plan : [{ name: "list_all_airports", arguments: {} }];
  let n = messages.filter((m) => m.role === "assistant").length - 1;
  for (let k = 0; n < TURNS - 1; k++, n++) {
    const id = `pad-${v}-${k}`;
    if (v % 4 === 2 && k === 1) {
      messages.push({ role: "assistant", content: null, tool_calls: [{ id, name: "teleport", arguments: {} }] });
      messages.push({ role: "tool", tool_call_id: id, content: "Error: Tool 'teleport' not found.", error: true });
      continue;
    }
    const a = reads[(k + v) % reads.length];
    const res = env.call(a.name, a.arguments);
    messages.push({ role: "assistant", content: null, tool_calls: [{ id, name: a.name, arguments: a.arguments }] });
    messages.push({ role: "tool", tool_call_id: id, content: res.content, error: res.error });
  }
  messages.push(...final);
  return messages;
}

interface Target {
  url: string;
  iterationPath: string;
  token?: string;
  pagePath: string;
  pid: number | null;
  stop(): void;
}

async function startChild(): Promise<Target> {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/reward-serving-server.ts"], { env: { ...process.env, WRIT_SERVE_DEMO: "1" }, stdio: ["pipe", "pipe", "inherit"] });
  const line = await new Promise<string>((resolve, reject) => {
    let buf = "";
    child.stdout.on("data", (d: Buffer) => {
      buf += d;
      const nl = buf.indexOf("\n");
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    child.on("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  const info = JSON.parse(line) as { url: string; token: string; iteration: number; pid: number };
  return { url: info.url, iterationPath: String(info.iteration), token: info.token, pagePath: "/not-a-route", pid: info.pid, stop: () => child.stdin.end() };
}

async function attachToRunning(url: string): Promise<Target> {
  const token = process.env.WRIT_ACCESS_TOKEN || undefined;
  const res = await fetch(`${url}/api/experiments`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const body = (await res.json()) as { experiments?: { id: number; name: string }[] } | { id: number; name: string }[];
  const list = Array.isArray(body) ? body : (body.experiments ?? []);
  const demo = list.find((e) => e.name.startsWith("Demo:"));
  if (!demo) throw new Error(`${url} has no demo experiment`);
  return { url, iterationPath: `latest?experiment=${demo.id}`, token, pagePath: process.env.BENCH_PAGE ?? "/experiments", pid: process.env.BENCH_SERVER_PID ? Number(process.env.BENCH_SERVER_PID) : null, stop: () => {} };
}

function rssMb(pid: number | null): number | null {
  if (pid === null) return null;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const target = process.env.BENCH_URL ? await attachToRunning(process.env.BENCH_URL) : await startChild();
  const headers: Record<string, string> = { "content-type": "application/json", ...(target.token ? { authorization: `Bearer ${target.token}` } : {}) };
  try {
    const tasks = synthesizeDemoTasks();
    // The demo task with the most gold actions that still leaves room for padding to 30 turns.
    const fits = tasks.filter((t) => (t.evaluation_criteria?.actions?.length ?? 0) <= TURNS - 10);
    const task = fits.sort((a, b) => (b.evaluation_criteria?.actions?.length ?? 0) - (a.evaluation_criteria?.actions?.length ?? 0))[0];
    const group = Array.from({ length: GROUP }, (_, v) => trajectory(task, v));
    const agentTurns = group.map((m) => m.filter((x) => x.role === "assistant").length - 1);
    const bodyFor = (n: number) => JSON.stringify({ task_id: task.id, trajectories: group.map((messages, i) => ({ trajectory_id: `b${n}-${i}`, messages })) });
    const scoreUrl = `${target.url}/api/v1/reward-configs/${target.iterationPath.replace("?", "/score?")}${target.iterationPath.includes("?") ? "" : "/score"}`;

    const check = await fetch(scoreUrl, { method: "POST", headers, body: bodyFor(-1) });
    const first = (await check.json()) as { results?: { outcome: number; turns: unknown[] }[]; error?: unknown };
    if (!check.ok || !first.results) throw new Error(`scoring failed: ${check.status} ${JSON.stringify(first).slice(0, 300)}`);

    const page = async (): Promise<number> => {
      const t0 = performance.now();
      const r = await fetch(target.url + target.pagePath, { headers: target.token ? { authorization: `Bearer ${target.token}` } : {} });
      await r.arrayBuffer();
      return performance.now() - t0;
    };
    // Warm-up (JIT, caches), then the idle page baseline.
    for (let i = 0; i < 50; i++) await (await fetch(scoreUrl, { method: "POST", headers, body: bodyFor(-2 - i) })).arrayBuffer();
    const idlePage: number[] = [];
    for (let i = 0; i < 20; i++) idlePage.push(await page());

    const latencies: number[] = [];
    const rss: { after: number; mb: number | null }[] = [{ after: 0, mb: rssMb(target.pid) }];
    const loadPage: number[] = [];
    let next = 0;
    let running = true;
    const started = performance.now();
    const client = async () => {
      for (let n = next++; n < REQUESTS; n = next++) {
        const t0 = performance.now();
        const r = await fetch(scoreUrl, { method: "POST", headers, body: bodyFor(n) });
        await r.arrayBuffer();
        if (r.status !== 200) throw new Error(`request ${n}: HTTP ${r.status}`);
        latencies.push(performance.now() - t0);
        if ((n + 1) % RSS_EVERY === 0) rss.push({ after: n + 1, mb: rssMb(target.pid) });
      }
    };
    const pager = async () => {
      while (running) {
        loadPage.push(await page());
        await new Promise((res) => setTimeout(res, 50));
      }
    };
    const pageLoop = pager();
    await Promise.all(Array.from({ length: CLIENTS }, client));
    const wall = (performance.now() - started) / 1000;
    running = false;
    await pageLoop;

    process.stdout.write(
      JSON.stringify({
        bench: "reward-serving",
        target: process.env.BENCH_URL ?? "child server (tests/reward-serving-server.ts, route handlers on node:http)",
        group: { trajectories: GROUP, agent_turns: agentTurns, outcomes: first.results.map((r) => r.outcome) },
        clients: CLIENTS,
        requests: REQUESTS,
        latency_ms: { p50: r1(pct(latencies, 50)), p99: r1(pct(latencies, 99)), max: r1(pct(latencies, 100)) },
        trajectories_per_s: Math.round((REQUESTS * GROUP) / wall),
        server_rss_mb: rss,
        page: { path: target.pagePath, idle_p50_ms: r1(pct(idlePage, 50)), under_load_p50_ms: r1(pct(loadPage, 50)), under_load_samples: loadPage.length },
        loadavg_1m: Math.round(loadavg()[0] * 100) / 100,
      }) + "\n",
    );
  } finally {
    target.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
