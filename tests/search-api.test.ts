/**
 * GET /api/experiments/:id/search through its route handler on a temp database of simulated
 * rollouts. Every expected count is computed independently of the index (a regex over the
 * stored messages, the summary rows, the rollout browser's own annotations), so the FTS5
 * index, the SQL filters and the tier flags are all checked against another path. The index
 * must follow every writer: the experiment runner's RolloutWriter, ingestion, and import.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { getDb } from "../db/server";
import { getMessagesForRollouts } from "../db/queries/rollouts";
import { clearCalibrationStore } from "../lib/calibration/experiment-data";
import { groupAnnotations } from "../lib/calibration/annotations";
import { RolloutWriter } from "../lib/rollouts/store/writer";
import { simulateStep } from "../lib/ingest/simulate";
import { clearIngestTaskCache } from "../lib/ingest/task-sets";
import type { SearchResponse, SearchRow } from "../lib/search/search";
import type { Message } from "../lib/types/messages";
import * as searchRoute from "../app/api/experiments/[id]/search/route";
import * as ingestRoute from "../app/api/v1/ingest/route";
import * as importRoute from "../app/api/experiments/import/route";
import { fixtureRollouts, insertFixtureExperiment } from "./calibration-fixtures";
import { insertTaskSet } from "./experiments-fixtures";
import { ROOT } from "./helpers";
import { appTempDb } from "./fixtures/app-db";

vi.mock("next/server", () => ({ connection: async () => {} }));

let exp: number;
const appDb = appTempDb("writ-search-", { caches: [clearCalibrationStore, clearIngestTaskCache] });

type Answer = { status: number; body: SearchResponse & { error?: { field?: string; message: string } } };
async function search(id: number, query: Record<string, string>): Promise<Answer> {
  const qs = new URLSearchParams(query).toString();
  const res = await searchRoute.GET(new Request(`http://x/api/experiments/${id}/search?${qs}`), { params: Promise.resolve({ id: String(id) }) });
  return { status: res.status, body: await res.json() };
}

/** Every row of a search, walking the cursor. */
async function searchAll(id: number, query: Record<string, string>, limit = 7): Promise<{ rows: SearchRow[]; totals: number[] }> {
  const rows: SearchRow[] = [];
  const totals: number[] = [];
  let cursor: string | null = null;
  do {
    const r: Answer = await search(id, { ...query, limit: String(limit), ...(cursor ? { cursor } : {}) });
    expect(r.status).toBe(200);
    rows.push(...r.body.rows);
    totals.push(r.body.total);
    cursor = r.body.next_cursor;
  } while (cursor);
  return { rows, totals };
}

interface Summary {
  id: string;
  group_id: string;
  outcome: number | null;
  termination: string | null;
}
const summaries = (id: number) =>
  getDb().$client.prepare(`SELECT id, group_id, outcome, termination FROM rollouts WHERE experiment_id = ?`).all(id) as Summary[];

/** The oracle: a message's words as a reader sees them (content, error, tool calls with JSON arguments). */
function plainText(m: Message): string {
  if (m.role !== "assistant") return m.content;
  return [m.content ?? "", m.error ?? "", ...(m.tool_calls ?? []).map((c) => `${c.name} ${JSON.stringify(c.arguments)}`)].join(" ");
}
function rolloutsMatching(id: number, re: RegExp, indexedOnly = true): Set<string> {
  const ids = summaries(id).map((r) => r.id);
  const msgs = getMessagesForRollouts(getDb(), ids);
  const out = new Set<string>();
  for (const [rid, list] of msgs) {
    // Long tool results (stored once in message_contents) are deliberately not indexed.
    if (list.some((m) => (!indexedOnly || m.role !== "tool" || m.content.length < 256) && re.test(plainText(m)))) out.add(rid);
  }
  return out;
}

beforeAll(async () => {
  appDb.open();
  exp = await insertFixtureExperiment(getDb(), "search");
});

afterAll(() => appDb.close());

describe("GET /api/experiments/:id/search", () => {
  it("finds a phrase in every rollout that says it, with the phrase marked in the snippet", async () => {
    const expected = rolloutsMatching(exp, /\bpayment amount\b/i);
    expect(expected.size).toBeGreaterThan(0);
    const { rows, totals } = await searchAll(exp, { q: '"payment amount"' });
    expect(new Set(rows.map((r) => r.rollout_id))).toEqual(expected);
    expect(totals.every((t) => t === expected.size)).toBe(true);
    expect(rows).toHaveLength(expected.size);
    for (const r of rows) {
      const marked = r.match!.parts.filter((p) => p.mark).map((p) => p.text.toLowerCase());
      expect(marked).toEqual(expect.arrayContaining(["payment", "amount"]));
      expect(r.href).toMatch(new RegExp(`^/experiments/${exp}/groups/${r.group_id}\\?turn=\\d+&sibling=${r.sample_index}`));
    }
  });

  it("searches tool names and arguments, and filters on the tool called", async () => {
    const byName = rolloutsMatching(exp, /\bbook_reservation\b/);
    const called = new Set<string>();
    for (const [rid, list] of getMessagesForRollouts(getDb(), summaries(exp).map((r) => r.id))) {
      if (list.some((m) => m.role === "assistant" && m.tool_calls?.some((c) => c.name === "book_reservation"))) called.add(rid);
    }
    expect(called.size).toBeGreaterThan(0);
    const text = await searchAll(exp, { q: "book_reservation" });
    expect(new Set(text.rows.map((r) => r.rollout_id))).toEqual(byName);
    const tool = await searchAll(exp, { tool: "book_reservation" });
    expect(new Set(tool.rows.map((r) => r.rollout_id))).toEqual(called);
    // Text and tool filter in one statement (two MATCHes on the index).
    const payment = rolloutsMatching(exp, /\bpayment\b/i);
    const both = await searchAll(exp, { q: "payment", tool: "book_reservation" });
    expect(new Set(both.rows.map((r) => r.rollout_id))).toEqual(new Set([...payment].filter((id) => called.has(id))));
    expect(both.rows.length).toBeGreaterThan(0);
  });

  it("combines the query with outcome, termination, tier and misalignment filters", async () => {
    const phrase = rolloutsMatching(exp, /\breservation\b/i);
    const sums = summaries(exp);
    const failed = sums.filter((s) => s.outcome === 0 && phrase.has(s.id)).map((s) => s.id);
    expect(failed.length).toBeGreaterThan(0);
    const r1 = await searchAll(exp, { q: "reservation", outcome: "fail" });
    expect(new Set(r1.rows.map((r) => r.rollout_id))).toEqual(new Set(failed));

    const stops = sums.filter((s) => s.outcome === 0 && s.termination === "user_stop" && phrase.has(s.id)).map((s) => s.id);
    const r2 = await searchAll(exp, { q: "reservation", outcome: "fail", termination: "user_stop" });
    expect(new Set(r2.rows.map((r) => r.rollout_id))).toEqual(new Set(stops));

    // Tier present: the rollout browser's annotations (latest iteration) are the oracle.
    const soft = new Set<string>();
    for (const g of new Set(sums.map((s) => s.group_id))) {
      for (const ro of groupAnnotations(getDb(), g, { config: {} }).rollouts) if (ro.turns.some((t) => t.tier === "soft")) soft.add(ro.rollout_id);
    }
    expect(soft.size).toBeGreaterThan(0);
    const r3 = await searchAll(exp, { tier: "soft" });
    expect(new Set(r3.rows.map((r) => r.rollout_id))).toEqual(soft);
    const r4 = await searchAll(exp, { tier: "soft", outcome: "fail", q: "reservation" });
    expect(new Set(r4.rows.map((r) => r.rollout_id))).toEqual(new Set(failed.filter((id) => soft.has(id))));
    // Each row's strip carries the same turns as the browser's annotations.
    const row = r3.rows[0];
    const ann = groupAnnotations(getDb(), row.group_id, { config: {} }).rollouts.find((x) => x.rollout_id === row.rollout_id)!;
    expect(row.strip.turns.map((t) => t.tier)).toEqual(ann.turns.map((t) => t.tier));
    expect(row.strip.turns.map((t) => t.advantage)).toEqual(ann.turns.map((t) => t.advantage));

    const mis = await searchAll(exp, { mismatch: "1" });
    const aligned = await searchAll(exp, { mismatch: "0" });
    expect(mis.rows.length + aligned.rows.length).toBe(sums.length);
    expect(mis.rows.some((r) => aligned.rows.some((x) => x.rollout_id === r.rollout_id))).toBe(false);
  });

  it("pages with a cursor: every row once, the same total on every page", async () => {
    const all = await search(exp, { limit: "500" });
    const paged = await searchAll(exp, {}, 9);
    expect(paged.rows.map((r) => r.rollout_id)).toEqual(all.body.rows.map((r) => r.rollout_id));
    expect(all.body.total).toBe(summaries(exp).length);
    expect(new Set(paged.totals)).toEqual(new Set([all.body.total]));
  });

  it("keeps the index current when the runner's RolloutWriter stores a rollout", async () => {
    const before = await search(exp, { q: "quokkaphrase" });
    expect(before.body.total).toBe(0);
    const g = summaries(exp)[0];
    const writer = new RolloutWriter(getDb(), { durable: false });
    writer.start({ id: "r-new-1", experimentId: exp, groupId: g.group_id, taskId: "t", sampleIndex: 99, writes: null, evidenceTotal: null, evidenceCell: null, behavior: null, preset: null, createdAt: Date.now() });
    writer.message("r-new-1", 0, { role: "assistant", content: "Hi! How can I help you today?" });
    writer.message("r-new-1", 1, { role: "user", content: "My quokkaphrase trip needs changing." });
    writer.message("r-new-1", 2, { role: "assistant", content: null, tool_calls: [{ id: "c1", name: "get_user_details", arguments: { user_id: "wombat_77" } }] });
    writer.flush();
    const after = await search(exp, { q: "quokkaphrase" });
    expect(after.body.rows.map((r) => r.rollout_id)).toEqual(["r-new-1"]);
    expect(after.body.rows[0].match!.parts).toContainEqual({ text: "quokkaphrase", mark: true });
    expect((await search(exp, { q: "wombat_77" })).body.rows.map((r) => r.rollout_id)).toEqual(["r-new-1"]);
    // Deleting the rollout (messages go by cascade) takes its messages out of the index.
    getDb().$client.prepare(`DELETE FROM rollouts WHERE id = 'r-new-1'`).run();
    const matches = getDb().$client.prepare(`SELECT count(*) FROM message_search WHERE message_search MATCH 'quokkaphrase OR wombat_77'`).pluck().get();
    expect(matches).toBe(0);
  });

  it("keeps the index current through ingestion and import", async () => {
    const tasks = (await fixtureRollouts(3)).tasks;
    insertTaskSet(getDb(), "search-ingest-set", tasks);
    const [g] = await simulateStep(tasks, 0, 3, 2);
    const t0 = g.trajectories[0];
    const messages = t0.messages.map((m, i) => (i === 1 && m.role === "user" ? { ...m, content: `${m.content} narwhalword` } : m));
    const ing = await ingestRoute.POST(
      new Request("http://x/api/v1/ingest", {
        method: "POST",
        body: JSON.stringify({
          batch: [
            { id: "e1", type: "run.upsert", body: { run_id: "s-1", name: "search-run", task_set: "search-ingest-set", trainer: "verl", group_size: 2 } },
            { id: "e2", type: "group.create", body: { run_id: "s-1", ...g, trajectories: [{ ...t0, messages }, ...g.trajectories.slice(1)] } },
          ],
        }),
      }),
    );
    const ingBody = (await ing.json()) as { successes: { experiment_id: number }[]; errors: unknown[] };
    expect(ingBody.errors).toEqual([]);
    const runId = ingBody.successes[0].experiment_id;
    const found = await search(runId, { q: "narwhalword" });
    expect(found.body.total).toBe(1);
    expect(found.body.rows[0].step).toBe(0);
    expect((await search(runId, { q: "narwhalword", steps: "1-5" })).body.total).toBe(0);
    expect((await search(runId, { q: "narwhalword", steps: "0-5" })).body.total).toBe(1);

    const src = (await fixtureRollouts(3)).rollouts.slice(0, 2);
    const lines = src.map((r, i) =>
      JSON.stringify({ ...r, rollout_id: `imp-${i}`, messages: r.messages.map((m, j) => (i === 1 && j === 1 && m.role === "user" ? { ...m, content: `${m.content} axolotlword` } : m)) }),
    );
    const imp = await importRoute.POST(
      new Request("http://127.0.0.1/api/experiments/import", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ from: "jsonl", name: "search import", text: lines.join("\n") }) }),
    );
    expect(imp.status).toBe(201);
    const impId = ((await imp.json()) as { experiment_id: number }).experiment_id;
    const hit = await search(impId, { q: "axolotlword" });
    expect(hit.body.total).toBe(1);
    expect(hit.body.rows[0].sample_index).toBe(src[1].sample_index);
    // Scoped to its experiment: the phrase is nowhere else.
    expect((await search(exp, { q: "axolotlword" })).body.total).toBe(0);
  });

  it("the migration's backfill indexes messages written before it, as the triggers would", async () => {
    const before = await searchAll(exp, { q: "reservation" });
    const c = getDb().$client;
    const migration = readFileSync(join(ROOT, "db", "migrations", "0007_message_search.sql"), "utf8").split("--> statement-breakpoint");
    c.transaction(() => {
      for (const t of ["ai", "ad", "au"]) c.exec(`DROP TRIGGER rollout_messages_search_${t}`);
      c.exec("DROP TABLE message_search");
      c.exec("DROP TABLE message_search_rollouts");
      for (const stmt of migration) if (stmt.trim()) c.exec(stmt);
    })();
    const after = await searchAll(exp, { q: "reservation" });
    expect(after.rows.map((r) => [r.rollout_id, r.hits, r.match?.message_index])).toEqual(before.rows.map((r) => [r.rollout_id, r.hits, r.match?.message_index]));
    expect(after.rows.length).toBeGreaterThan(0);
  });

  it("reads search syntax as text: operators and stray quotes are words, never an error", async () => {
    for (const q of ['"unbalanced', "AND OR NOT", "col:thing (x", "*", "NEAR(a b)", "^start"]) {
      const r = await search(exp, { q });
      expect(r.status, q).toBe(200);
    }
    expect((await search(exp, { q: "book*" })).body.total).toBe(rolloutsMatching(exp, /\bbook\w*/i).size);
  });

  it("answers 400 naming the field for bad parameters, 404 for an unknown experiment", async () => {
    const cases: [Record<string, string>, string][] = [
      [{ outcome: "maybe" }, "outcome"],
      [{ termination: "nope" }, "termination"],
      [{ tier: "platinum" }, "tier"],
      [{ mismatch: "yes" }, "mismatch"],
      [{ tool: "drop table" }, "tool"],
      [{ w: "-1" }, "w"],
      [{ steps: "3..4" }, "steps"],
      [{ limit: "0" }, "limit"],
      [{ limit: "100000" }, "limit"],
      [{ cursor: "abc" }, "cursor"],
      [{ estimator: "ppo" }, "estimator"],
      [{ q: "x".repeat(501) }, "q"],
      [{ colour: "red" }, "colour"],
    ];
    for (const [query, field] of cases) {
      const r = await search(exp, query);
      expect(r.status, JSON.stringify(query)).toBe(400);
      expect(r.body.error?.field, JSON.stringify(query)).toBe(field);
    }
    expect((await search(99999, {})).status).toBe(404);
  });
});
