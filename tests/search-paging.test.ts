/**
 * lib/search's text-query scan (windows of index keys, a capped count) and its page-level
 * strips, against independent paths on a temp database of simulated rollouts:
 *
 * - which rollouts match, how many messages each, and the first one: a regex over the stored
 *   messages; the order: each rollout's first stored message (rollout_messages.id), which is
 *   what the index key numbers;
 * - the strips: the calibration store's whole-experiment data under the same config, number
 *   for number (Object.is).
 *
 * The scan's first read, key chunk and cap are made small so a few dozen rollouts exercise many
 * reads (each again from the start, finding its place by rowid), lookups and capped counts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../db/server";
import { getMessagesForRollouts } from "../db/queries/rollouts";
import { listCaches } from "../lib/cache/lru";
import { computeTurnValues } from "../lib/analysis";
import { groupAnnotations, resolveBrowserConfig } from "../lib/calibration/annotations";
import { DEFAULT_CLASS_KEY } from "../lib/calibration/class-store";
import { clearCalibrationStore, classifyOptionsOf, getExperimentData } from "../lib/calibration/experiment-data";
import { applyConfigDiff, decodeConfigDiff } from "../lib/calibration/url-state";
import { classificationKey, extractTurns, NAIVE_V5, TIER_NAMES } from "../lib/rewards";
import { searchQuerySchema } from "../lib/search/schemas";
import { searchRollouts, type SearchOptions, type SearchRow } from "../lib/search/search";
import type { Message } from "../lib/types/messages";
import { insertFixtureExperiment } from "./calibration-fixtures";
import { appTempDb } from "./fixtures/app-db";

const appDb = appTempDb("writ-search-paging-", { caches: [clearCalibrationStore] });
let exp: number;

beforeAll(async () => {
  appDb.open();
  // Another experiment first: its index keys come first, so every scan also reads (and drops) another experiment's matches.
  await insertFixtureExperiment(getDb(), "other", 4);
  exp = await insertFixtureExperiment(getDb(), "search-paging");
});

afterAll(() => appDb.close());

const search = (query: Record<string, string>, options: SearchOptions = {}) => searchRollouts(getDb(), exp, searchQuerySchema.parse(query), options);

/** Every row of a search, walking the cursor, with each page's total. */
function searchAll(query: Record<string, string>, options: SearchOptions, limit: number): { rows: SearchRow[]; totals: [number, boolean][] } {
  const rows: SearchRow[] = [];
  const totals: [number, boolean][] = [];
  let cursor: string | null = null;
  do {
    const page = search({ ...query, limit: String(limit), ...(cursor ? { cursor } : {}) }, options);
    rows.push(...page.rows);
    totals.push([page.total, page.total_capped]);
    cursor = page.next_cursor;
  } while (cursor);
  return { rows, totals };
}

interface Expected {
  id: string;
  hits: number;
  first: number;
}

/**
 * The oracle: the experiment's rollouts (under the SQL filter) whose indexed messages match
 * `re`, in the order of their first stored message, with their matching messages counted.
 */
function expectedMatches(re: RegExp, where = "1"): Expected[] {
  const c = getDb().$client;
  const ids = c
    .prepare(
      `SELECT r.id FROM rollouts r JOIN rollout_messages m ON m.rollout_id = r.id
        WHERE r.experiment_id = ? AND ${where} GROUP BY r.id ORDER BY min(m.id)`,
    )
    .pluck()
    .all(exp) as string[];
  const messages = getMessagesForRollouts(getDb(), ids);
  const text = (m: Message) =>
    m.role !== "assistant" ? m.content : [m.content ?? "", m.error ?? "", ...(m.tool_calls ?? []).map((t) => `${t.name} ${JSON.stringify(t.arguments)}`)].join(" ");
  const out: Expected[] = [];
  for (const id of ids) {
    // Long tool results (stored once in message_contents) are not indexed.
    const hits = (messages.get(id) ?? []).map((m, i) => ((m.role !== "tool" || m.content.length < 256) && re.test(text(m)) ? i : -1)).filter((i) => i >= 0);
    if (hits.length) out.push({ id, hits: hits.length, first: hits[0] });
  }
  return out;
}

const rowsOf = (rows: SearchRow[]): Expected[] => rows.map((r) => ({ id: r.rollout_id, hits: r.hits, first: r.match!.message_index }));

describe("text search: growing reads of the posting list, key lookups in chunks, a capped total", () => {
  it("walks every matching rollout once, in index order, whatever the read, chunk, cap and page size", () => {
    const expected = expectedMatches(/\breservation\b/i);
    expect(expected.length).toBeGreaterThan(20);
    for (const [options, limit] of [
      [{}, 500],
      [{ firstRead: 1, keyChunk: 1 }, 7],
      [{ firstRead: 3, keyChunk: 2, totalCap: 5 }, 4],
      [{ firstRead: 2, keyChunk: 5, totalCap: 1 }, 13],
    ] as [SearchOptions, number][]) {
      const { rows, totals } = searchAll({ q: "reservation" }, options, limit);
      expect(rowsOf(rows), JSON.stringify(options)).toEqual(expected);
      const cap = options.totalCap;
      // The same total on every page: exact under the cap, the cap (flagged) over it.
      const want: [number, boolean] = cap !== undefined && expected.length > cap ? [cap, true] : [expected.length, false];
      expect(new Set(totals.map((t) => JSON.stringify(t))), JSON.stringify(options)).toEqual(new Set([JSON.stringify(want)]));
    }
  });

  it("gives each row its first matching message's agent turn, counted over the whole conversation", () => {
    const { rows } = searchAll({ q: "reservation" }, {}, 500);
    const messages = getMessagesForRollouts(getDb(), rows.map((r) => r.rollout_id));
    expect(rows.some((r) => r.match!.turn !== null && r.match!.turn > 0)).toBe(true);
    for (const r of rows) {
      const turns = extractTurns(messages.get(r.rollout_id)!).filter((t) => t.messageIndex <= r.match!.message_index);
      expect(r.match!.turn).toBe(turns.length ? turns.length - 1 : null);
      expect(r.match!.role).toBe(messages.get(r.rollout_id)![r.match!.message_index].role);
    }
  });

  it("counts exactly up to the cap: equal to it is not capped, one more is", () => {
    const n = expectedMatches(/\breservation\b/i).length;
    expect(search({ q: "reservation" }, { totalCap: n, firstRead: 2, keyChunk: 3 })).toMatchObject({ total: n, total_capped: false });
    expect(search({ q: "reservation" }, { totalCap: n - 1, firstRead: 2, keyChunk: 3 })).toMatchObject({ total: n - 1, total_capped: true });
  });

  it("applies the SQL filters in the key lookups and the tool filter as a key set", () => {
    const failed = expectedMatches(/\breservation\b/i, "r.outcome = 0");
    expect(failed.length).toBeGreaterThan(3);
    const r1 = searchAll({ q: "reservation", outcome: "fail" }, { firstRead: 1, keyChunk: 2, totalCap: 3 }, 2);
    expect(rowsOf(r1.rows)).toEqual(failed);
    expect(r1.totals[0]).toEqual([3, true]);

    const c = getDb().$client;
    const called = new Set(
      c
        .prepare(`SELECT DISTINCT rollout_id FROM rollout_messages WHERE role = 'assistant' AND body LIKE '%"name":"get_user_details"%'`)
        .pluck()
        .all() as string[],
    );
    const both = expectedMatches(/\bpayment\b/i).filter((e) => called.has(e.id));
    expect(both.length).toBeGreaterThan(0);
    const r2 = searchAll({ q: "payment", tool: "get_user_details" }, { firstRead: 1, keyChunk: 2 }, 3);
    expect(rowsOf(r2.rows)).toEqual(both);
  });

  it("pages through a tier filter (in memory) with the same scan", () => {
    const soft = new Set<string>();
    const groups = getDb().$client.prepare(`SELECT DISTINCT group_id FROM rollouts WHERE experiment_id = ?`).pluck().all(exp) as string[];
    for (const g of groups) for (const ro of groupAnnotations(getDb(), g, { config: {} }).rollouts) if (ro.turns.some((t) => t.tier === "soft")) soft.add(ro.rollout_id);
    const expected = expectedMatches(/\breservation\b/i).filter((e) => soft.has(e.id));
    expect(expected.length).toBeGreaterThan(0);
    const { rows, totals } = searchAll({ q: "reservation", tier: "soft" }, { firstRead: 1, keyChunk: 2, totalCap: 2 }, 3);
    expect(rowsOf(rows)).toEqual(expected);
    expect(totals[0]).toEqual(expected.length > 2 ? [2, true] : [expected.length, false]);
  });

  it("answers an empty page for a word nowhere, and keeps filter-only searches exact", () => {
    expect(search({ q: "zebrafishword" }, { firstRead: 1 })).toMatchObject({ total: 0, total_capped: false, rows: [], next_cursor: null });
    const all = search({ limit: "500" }, { totalCap: 1 });
    expect(all.total).toBe(getDb().$client.prepare(`SELECT count(*) FROM rollouts WHERE experiment_id = ?`).pluck().get(exp));
    expect(all.total_capped).toBe(false);
  });
});

describe("page strips", () => {
  /**
   * Each row's strip against the calibration store's path: the experiment's whole columnar data
   * under the config's classification, and computeTurnValues over all of it (what the workbench
   * and the RL export use), with the browser's clean-up of non-finite and -0 values.
   */
  function expectStripsAsStore(rows: SearchRow[], diff?: string) {
    expect(rows.length).toBeGreaterThan(0);
    const config = resolveBrowserConfig(getDb(), exp, diff ? { diff } : {}).config;
    const { data } = getExperimentData(getDb(), exp, classifyOptionsOf(config));
    const v = computeTurnValues(data, config);
    const clean = (x: number) => (Number.isFinite(x) && x !== 0 ? x : 0);
    const index = new Map(data.rolloutIds.slice(0, data.nRollouts).map((id, i) => [id, i]));
    for (const row of rows) {
      const i = index.get(row.rollout_id);
      expect(row.strip.scored).toBe(i !== undefined);
      if (i === undefined) continue;
      const from = data.turnOffsets[i];
      const to = data.turnOffsets[i + 1];
      expect(row.strip.turns.length).toBe(to - from);
      let ret = 0;
      row.strip.turns.forEach((t, k) => {
        expect(t.tier).toBe(TIER_NAMES[v.tier[from + k]]);
        expect(Object.is(t.reward, clean(v.reward[from + k])), row.rollout_id).toBe(true);
        expect(Object.is(t.advantage, clean(v.adv[from + k])), row.rollout_id).toBe(true);
        ret += clean(v.reward[from + k]);
      });
      expect(Object.is(row.strip.return, clean(ret))).toBe(true);
      expect(Object.is(row.strip.outcome_advantage, clean(v.ao[i]))).toBe(true);
    }
  }

  const storeHolds = () => listCaches().find((c) => c.name === "calibration.experiments")!.size;
  const classRows = () => getDb().$client.prepare(`SELECT rollout_id FROM rollout_classes WHERE experiment_id = ?`).pluck().all(exp) as string[];

  it("computes a page's strips from its groups alone (no store load), backfilling only their class rows", () => {
    clearCalibrationStore();
    getDb().$client.prepare(`DELETE FROM rollout_classes WHERE experiment_id = ?`).run(exp);
    const page = search({ q: "reservation", limit: "3" });
    expect(storeHolds()).toBe(0);
    // Class rows written back: exactly the finished rollouts of the page's groups.
    const groups = [...new Set(page.rows.map((r) => r.group_id))];
    const siblings = getDb()
      .$client.prepare(`SELECT id FROM rollouts WHERE group_id IN (${groups.map(() => "?").join(",")}) AND status IN ('done', 'error')`)
      .pluck()
      .all(...groups) as string[];
    expect(new Set(classRows())).toEqual(new Set(siblings));
    // Cold (classified from messages) and warm (stored rows read back) pages give the same strips as the store.
    const cold = page.rows.map((r) => r.strip);
    const warm = search({ q: "reservation", limit: "3" }).rows.map((r) => r.strip);
    expect(warm).toEqual(cold);
    expectStripsAsStore(page.rows);
    clearCalibrationStore();
  });

  it("gives every page the store's strips, bit for bit: default and another classification and estimator", () => {
    expectStripsAsStore(searchAll({}, {}, 50).rows);
    const diff = "gm:any,sl:0,est:hybrid";
    const config = applyConfigDiff(NAIVE_V5, decodeConfigDiff(diff)).config;
    expect(classificationKey(classifyOptionsOf(config))).not.toBe(DEFAULT_CLASS_KEY);
    expectStripsAsStore(searchAll({ q: "reservation", c: diff }, {}, 50).rows, diff);
  });

  it("a tier filter loads the store, and its strips are the page path's", () => {
    clearCalibrationStore();
    const plain = search({ q: "reservation", limit: "500" });
    expect(storeHolds()).toBe(0);
    const filtered = search({ q: "reservation", tier: "read", limit: "500" });
    expect(storeHolds()).toBe(1);
    const byId = new Map(plain.rows.map((r) => [r.rollout_id, r.strip]));
    expect(filtered.rows.length).toBeGreaterThan(0);
    for (const r of filtered.rows) expect(r.strip).toEqual(byId.get(r.rollout_id));
  });
});
