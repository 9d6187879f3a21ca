/**
 * THE KILL TEST. A real worker process runs an experiment of 200 rollouts with OpenAI
 * agent and user drivers against the local stub (with latency, so conversations are
 * mid-flight), is SIGKILLed mid-experiment, and a second worker (short lease) takes over.
 * The experiment must complete with exactly 200 rollouts, no duplicate (rollout_id, idx),
 * and no model call repeated for a message that had been saved.
 *
 * Identifying requests: the stub's user simulator opens each conversation with a unique
 * session nonce, so every later request of that conversation carries it; a request's key
 * is (agent|user, nonce, history length). Every reply carries a reply number (in its text
 * or tool-call id), so each saved message names the request that produced it. "No saved
 * call repeated" ⇔ for every saved message, no request with the same key came after the
 * one that produced it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTempDb, spawnWorker, stopWorkers, waitFor, type SpawnedWorker, type TempDb } from "./helpers";
import { insertTaskSet, synthesizeSmall } from "./experiments-fixtures";
import { reply, startStubServer, type StubRequest, type StubServer } from "./stub-openai-server";
import { createExperiment } from "../lib/experiments/create-experiment";
import { createEndpoint } from "../db/queries/model-endpoints";
import { getExperimentRow } from "../db/queries/experiments";
import type { Message } from "../lib/types/messages";

const LATENCY_MS = 40;
let t: TempDb;
let stub: StubServer;
const workers: SpawnedWorker[] = [];

interface Seen {
  index: number;
  key: string | null;
  reply: number;
  at: number;
}
const seen: Seen[] = [];
let replyNo = 0;
let nonceNo = 0;

function keyOf(req: StubRequest): string | null {
  const msgs = req.body?.messages ?? [];
  const text = msgs.map((m) => (typeof m.content === "string" ? m.content : "")).join("\n");
  const nonce = /session (s\d+)/.exec(text)?.[1];
  if (!nonce) return null;
  return `${Array.isArray(req.body?.tools) ? "agent" : "user"}:${nonce}:${msgs.length}`;
}

function handler(req: StubRequest) {
  const n = ++replyNo;
  seen.push({ index: req.index, key: keyOf(req), reply: n, at: Date.now() });
  const msgs = req.body?.messages ?? [];
  if (!Array.isArray(req.body?.tools)) {
    const own = msgs.filter((m) => m.role === "assistant").length;
    if (own === 0) return reply.text(`Hello, this is session s${++nonceNo}. Please check the airports. [rep ${n}]`);
    return reply.text(own >= 2 ? `Thanks, that is all. ###STOP### [rep ${n}]` : `Please continue. [rep ${n}]`);
  }
  return msgs.at(-1)?.role === "tool"
    ? reply.text(`Here is what I found. [rep ${n}]`)
    : reply.toolCalls([{ id: `callrep${n}`, name: "list_all_airports", arguments: {} }]);
}

function replyOf(m: Message): number | null {
  if (m.role === "assistant" && m.tool_calls?.length) {
    const id = /^callrep(\d+)$/.exec(m.tool_calls[0].id)?.[1];
    return id ? Number(id) : null;
  }
  if (m.role === "tool") return null;
  const r = /\[rep (\d+)\]/.exec(m.content ?? "")?.[1];
  return r ? Number(r) : null;
}

beforeAll(async () => {
  t = createTempDb();
  stub = await startStubServer({ latencyMs: LATENCY_MS, handler });
});
afterAll(async () => {
  await stopWorkers(workers);
  await stub.close();
  t.cleanup();
});

describe("kill a worker mid-experiment", () => {
  it("completes with exactly 200 rollouts and never repeats a saved model call", async () => {
    const tasks = synthesizeSmall([
      { writes: 1, evidence: 1, count: 25 },
      { writes: 1, evidence: 2, count: 25 },
    ]);
    expect(tasks).toHaveLength(50);
    const setId = insertTaskSet(t.db, "kill-set", tasks);
    const ep = createEndpoint(t.db, { name: "stub", baseUrl: stub.baseURL, model: "stub-model", apiKey: "sk-kill-test-key-0123456789" });
    const driver = { kind: "openai", endpoint_id: ep.id, max_retries: 0, timeout_ms: 10_000 } as const;
    const { experiment } = createExperiment(t.db, {
      name: "kill",
      task_set_id: setId,
      agent: driver,
      user: driver,
      group_size: 4,
      concurrency: 12,
      max_turns: 10,
    });
    expect(experiment.rolloutsTotal).toBe(200);
    const env = { WRIT_JOB_LEASE_MS: "1200", WRIT_WORKER_CONCURRENCY: "2" };

    const first = spawnWorker(t.path, env);
    workers.push(first);
    await waitFor(() => (getExperimentRow(t.db, experiment.id)?.rolloutsDone ?? 0) >= 50 || undefined, 60_000, "50 rollouts done");
    first.child.kill("SIGKILL");
    await first.exited;
    const killedAt = Date.now();
    const doneAtKill = getExperimentRow(t.db, experiment.id)!.rolloutsDone;
    const midFlight = t.db.$client
      .prepare(`SELECT count(*) n FROM rollouts WHERE experiment_id = ? AND status = 'running'`)
      .get(experiment.id) as { n: number };
    expect(doneAtKill).toBeLessThan(200);
    expect(midFlight.n).toBeGreaterThan(0); // it really died mid-conversation

    const second = spawnWorker(t.path, env);
    workers.push(second);
    await waitFor(() => getExperimentRow(t.db, experiment.id)?.status === "completed" || undefined, 90_000, "experiment to complete");

    const c = t.db.$client;
    const agg = c
      .prepare(`SELECT count(*) n, count(DISTINCT id) d, sum(status = 'running') running, sum(termination = 'user_stop') ok FROM rollouts WHERE experiment_id = ?`)
      .get(experiment.id) as { n: number; d: number; running: number; ok: number };
    expect(agg).toMatchObject({ n: 200, d: 200, running: 0, ok: 200 });
    const perTask = c.prepare(`SELECT count(*) n FROM rollouts WHERE experiment_id = ? GROUP BY task_id`).all(experiment.id) as { n: number }[];
    expect(perTask).toHaveLength(50);
    expect(perTask.every((r) => r.n === 4)).toBe(true);
    const dupIdx = c.prepare(`SELECT rollout_id, idx, count(*) n FROM rollout_messages GROUP BY rollout_id, idx HAVING n > 1`).all();
    expect(dupIdx).toEqual([]);
    const exp = getExperimentRow(t.db, experiment.id)!;
    expect(exp.rolloutsDone).toBe(200);

    // Every saved model-produced message → the request that produced it; none of its key after it.
    const byReply = new Map(seen.map((s) => [s.reply, s]));
    const byKey = new Map<string, Seen[]>();
    for (const s of seen) if (s.key) byKey.set(s.key, [...(byKey.get(s.key) ?? []), s]);
    const rows = c
      .prepare(`SELECT m.rollout_id, m.idx, m.body FROM rollout_messages m JOIN rollouts r ON r.id = m.rollout_id WHERE r.experiment_id = ? ORDER BY m.rollout_id, m.idx`)
      .all(experiment.id) as { rollout_id: string; idx: number; body: string }[];
    let checked = 0;
    const repeatedSaved: string[] = [];
    const savedReplies = new Set<number>();
    for (const r of rows) {
      const m = JSON.parse(r.body) as Message;
      const n = replyOf(m);
      if (r.idx === 0 || n === null) continue;
      savedReplies.add(n);
      const req = byReply.get(n)!;
      expect(req, `reply ${n} of ${r.rollout_id}#${r.idx}`).toBeDefined();
      if (!req.key) continue;
      checked++;
      const later = byKey.get(req.key)!.filter((s) => s.index > req.index);
      if (later.length) repeatedSaved.push(`${r.rollout_id}#${r.idx} (${req.key})`);
    }
    expect(checked).toBeGreaterThan(1000);
    expect(repeatedSaved).toEqual([]);
    // Calls paid twice are only those in flight when the worker died (their replies were never saved).
    const duplicatedKeys = [...byKey.values()].filter((l) => l.length > 1);
    for (const l of duplicatedKeys) {
      expect(l[0].at).toBeLessThanOrEqual(killedAt);
      expect(savedReplies.has(l[0].reply)).toBe(false);
    }
    expect(duplicatedKeys.length).toBeLessThanOrEqual(12);
  }, 180_000);
});
