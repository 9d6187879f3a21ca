/**
 * The ingest thread (lib/ingest/store/thread.ts): the request thread scores and plans, a real
 * worker thread with its own SQLite connection stores, and the result is the one-thread path's
 * (`ingestBatch`): the same 207 entries and the same rows in every table the batch touches,
 * search index included, for new runs, pre-scored groups, replays, conflicts and bad events.
 * Two batches sent at once are stored one after the other. A thread that dies stores nothing
 * and the batch can be stored again; the next batch gets a new thread.
 */
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { closeDb, openDb, type Db } from "../db/client";
import { parseEvent } from "../lib/ingest/events";
import { applyStoreEvent, emptyIngestResult, ingestBatch, type StoreEvent } from "../lib/ingest/ingest";
import { prepareEvent } from "../lib/ingest/prepare";
import { IngestThread, spawnIngestThread } from "../lib/ingest/store/thread";
import { simulateStep, type SimulatedGroup } from "../lib/ingest/simulate";
import { clearIngestTaskCache } from "../lib/ingest/task-sets";
import type { Message } from "../lib/types/messages";
import { insertTaskSet, synthesizeSmall } from "./experiments-fixtures";
import { makeTempDir } from "./temp-dir";

/** Columns that hold the wall clock (`now` of each path): left out of the comparison. */
const CLOCK: Record<string, string[]> = {
  experiments: ["created_at", "updated_at", "started_at", "finished_at"],
  groups: ["created_at"],
  rollouts: ["created_at", "finished_at"],
};
const TABLES: [string, string][] = [
  ["experiments", "id"],
  ["groups", "id"],
  ["rollouts", "id"],
  ["rollout_messages", "id"],
  ["message_contents", "id"],
  ["rollout_classes", "rollout_id"],
  ["experiment_policy_counts", "experiment_id, rule"],
];

function stored(db: Db): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [table, order] of TABLES) {
    out[table] = (db.$client.prepare(`SELECT * FROM ${table} ORDER BY ${order}`).all() as Record<string, unknown>[]).map((r) => {
      for (const c of CLOCK[table] ?? []) delete r[c];
      return r;
    });
  }
  db.$client.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocab USING fts5vocab(main, message_search, 'instance')");
  out.search = db.$client.prepare("SELECT term, doc, col, offset FROM temp.search_vocab ORDER BY doc, col, offset, term").all();
  return out;
}

/** OpenAI's wire form of the same messages (system prompt, function objects, JSON-string arguments). */
function openaiForm(messages: Message[]): unknown[] {
  return [
    { role: "system", content: "policy" },
    ...messages.map((m) =>
      m.role === "assistant" && m.tool_calls ? { ...m, tool_calls: m.tool_calls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: JSON.stringify(c.arguments) } })) } : m,
    ),
  ];
}

function batches(groups: SimulatedGroup[]): unknown[][] {
  const ev = (id: string, g: SimulatedGroup, extra: Record<string, unknown> = {}) => ({ id, type: "group.create", body: { run_id: "r", ...g, ...extra } });
  const [g0, g1, g2, ...rest] = groups;
  const first = [
    { id: "up", type: "run.upsert", body: { run_id: "r", task_set: "thread-set", trainer: "verl", config: { lr: 1 } } },
    ev("g0", g0, { metadata: { b: 1, a: 2 } }),
    ev("g1", { ...g1, trajectories: g1.trajectories.map((t) => ({ ...t, messages: openaiForm(t.messages) as Message[] })) }),
    ev("g0-again", g0, { metadata: { a: 2, b: 1 } }),
    ev("g0-changed", g0, { step: 9 }),
    ev("unknown-task", { ...g2, group_id: "u" }, { task_id: "no-such-task" }),
    { id: "bad", type: "group.create", body: { run_id: "r", ...g2, group_id: "b", trajectories: [{ trajectory_id: "x", messages: [{ role: "robot" }] }] } },
    ev("other-run", g2, { run_id: "nobody" }),
  ];
  // The run exists now: these groups are scored before the transaction from the stored run.
  const second = [...[g2, ...rest].map((g, k) => ev(`later-${k}`, g)), ev("g1-replay", g1, { step: 0 }), { id: "fin", type: "run.finish", body: { run_id: "r" } }];
  return [first, second];
}

async function setup(dir: string, name: string, groups?: SimulatedGroup[]) {
  const tasks = synthesizeSmall([
    { writes: 1, evidence: 2, count: 2 },
    { writes: 3, evidence: 4, count: 2 },
  ]);
  const db = openDb(join(dir, name));
  insertTaskSet(db, "thread-set", tasks);
  return { db, groups: groups ?? [...(await simulateStep(tasks, 0, 2, 4)), ...(await simulateStep(tasks, 1, 2, 4))] };
}

describe("ingest thread", () => {
  it("stores the same rows and answers the same entries as ingestBatch on one thread", async () => {
    const dir = makeTempDir("writ-ingest-thread-");
    clearIngestTaskCache();
    const ref = await setup(dir, "reference.db");
    const threaded = await setup(dir, "threaded.db", ref.groups);
    const thread = new IngestThread(spawnIngestThread, () => {});
    try {
      for (const batch of batches(ref.groups)) {
        const expected = ingestBatch(ref.db, batch);
        const got = await thread.ingest(threaded.db, batch);
        expect(got).toEqual(expected);
      }
      const a = stored(ref.db);
      const b = stored(threaded.db);
      expect(a.rollouts.length).toBe(ref.groups.length * 4);
      expect(a.search.length).toBeGreaterThan(0);
      expect(b).toEqual(a);
    } finally {
      await thread.close();
      closeDb(ref.db);
      closeDb(threaded.db);
    }
  });

  it("scores computed for another task set or task are not used: the store side scores again", async () => {
    const dir = makeTempDir("writ-ingest-thread-");
    const ref = await setup(dir, "reference.db");
    const other = await setup(dir, "stale.db", ref.groups);
    const upsert = { id: "up", type: "run.upsert", body: { run_id: "r", task_set: "thread-set" } };
    const groupEvent = { id: "g", type: "group.create", body: { run_id: "r", ...ref.groups[0] } };
    ingestBatch(ref.db, [upsert, groupEvent]);
    // Prepared as the request thread would, then made stale: every outcome flipped, under another set id.
    const runs = new Map();
    const prepared = [upsert, groupEvent].map((raw, i) => prepareEvent(other.db, parseEvent(raw, i), runs));
    const g = prepared[1] as Extract<StoreEvent, { type: "group.create" }>;
    expect(g.body.scored).toBeDefined();
    g.body.scored = { ...g.body.scored!, taskSetId: 999, trajectories: g.body.scored!.trajectories.map((t) => ({ ...t, outcome: t.outcome ? 0 : 1 })) };
    const result = emptyIngestResult();
    other.db.$client.transaction(() => prepared.forEach((e) => applyStoreEvent(other.db, e, Date.now(), result)))();
    expect(result.errors).toEqual([]);
    expect(stored(other.db)).toEqual(stored(ref.db));
    closeDb(ref.db);
    closeDb(other.db);
  });

  it("stores two batches sent at once one after the other", async () => {
    const dir = makeTempDir("writ-ingest-thread-");
    const { db, groups } = await setup(dir, "twice.db");
    const thread = new IngestThread(spawnIngestThread, () => {});
    try {
      await thread.ingest(db, [{ id: "up", type: "run.upsert", body: { run_id: "r", task_set: "thread-set" } }]);
      const half = Math.ceil(groups.length / 2);
      const send = (gs: SimulatedGroup[], tag: string) => thread.ingest(db, gs.map((g, k) => ({ id: `${tag}${k}`, type: "group.create", body: { run_id: "r", ...g } })));
      const [x, y] = await Promise.all([send(groups.slice(0, half), "x"), send(groups.slice(half), "y")]);
      expect([...x.errors, ...y.errors]).toEqual([]);
      expect(x.successes.map((s) => s.group)).toEqual(groups.slice(0, half).map((_, k) => `g-1-${k}`));
      expect(y.successes.map((s) => s.group)).toEqual(groups.slice(half).map((_, k) => `g-1-${half + k}`));
    } finally {
      await thread.close();
      closeDb(db);
    }
  });

  it("a thread that dies stores nothing; the batch can be stored again and the next batch gets a new thread", async () => {
    const dir = makeTempDir("writ-ingest-thread-");
    const { db, groups } = await setup(dir, "dies.db");
    let spawned = 0;
    // The first thread exits at once; later ones are real.
    const thread = new IngestThread(() => (++spawned === 1 ? new Worker("process.exit(3)", { eval: true }) : spawnIngestThread()), () => {});
    const batch = [{ id: "up", type: "run.upsert", body: { run_id: "r", task_set: "thread-set" } }, { id: "g", type: "group.create", body: { run_id: "r", ...groups[0] } }];
    try {
      await expect(thread.ingest(db, batch)).rejects.toThrow(/exited with code 3/);
      expect(db.$client.prepare("SELECT count(*) FROM rollouts").pluck().get()).toBe(0);
      const again = await thread.ingest(db, batch);
      expect(again.errors).toEqual([]);
      expect(again.successes.map((s) => s.status)).toEqual([201, 201]);
      expect(spawned).toBe(2);
      expect(db.$client.prepare("SELECT count(*) FROM rollouts").pluck().get()).toBe(groups[0].trajectories.length);
    } finally {
      await thread.close();
      closeDb(db);
    }
  });
});
