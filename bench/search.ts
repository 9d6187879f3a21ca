/**
 * Search bench (issue 17 §4: a search over 5M messages answers in ≤ 200 ms server time).
 *
 * Builds a synthetic experiment in a temp database: BENCH_SEARCH_MESSAGES messages (default
 * 500,000, which builds in about half a minute here; set 5000000 for the issue's size) in rollouts of BENCH_SEARCH_PER_ROLLOUT (50)
 * messages: user and agent text drawn from a Zipf-distributed vocabulary of 5,000 words plus
 * airline phrases, tool calls with ids as arguments, short tool results inline (indexed) and
 * long ones in message_contents (not indexed), like real rollouts. Every message goes in
 * through the INSERT trigger that keeps message_search current, so the build also times the
 * writers' indexing cost (and a 100k-message build without the trigger is the baseline).
 *
 * BENCH_SEARCH_DB=<file> (e.g. /work/bench-data/search/5m.db) keeps the database: the first
 * run builds it (and writes its build figures to `<file>.json`), later runs with the same size
 * reuse it and print the same fields (the 5M build takes minutes; the searches, one).
 *
 * Then lib/search searchRollouts (the route's whole work, minus JSON encoding) per query kind,
 * BENCH_SEARCH_REPS (7) times each, medians in ms: a rare phrase, a mid-frequency word, a
 * frequent word (in every rollout: its total is capped), a word + outcome + termination
 * filters, a prefix, the tool-called filter, filters only (no text), a tier filter, a page
 * half way down the frequent word, and page 2 of the mid-frequency word through the cursor. Before them, the first searches after a cold start (no stored class rows,
 * as a fresh build has: a reused database's are deleted first; empty calibration store): a text
 * search (`first_search_ms`: only the page's groups are classified) and the same after a
 * restart with the rows it wrote stored (`first_search_after_restart_ms`); then a search with a
 * tier filter, which loads every rollout's classes into the calibration store as the
 * workbench's first open does (`first_tier_search_ms`, and `..._after_restart_ms` with every
 * class row stored).
 * Prints one JSON object.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { closeDb, openDb, type Db } from "../db/client";
import { clearCalibrationStore } from "../lib/calibration/experiment-data";
import { insertSyntheticExperiment } from "../lib/experiments/store/synthetic";
import { searchQuerySchema } from "../lib/search/schemas";
import { searchRollouts, type SearchResponse } from "../lib/search/search";
import { createRng } from "../lib/random/prng";

const MESSAGES = Number(process.env.BENCH_SEARCH_MESSAGES ?? 500_000);
const PER_ROLLOUT = Number(process.env.BENCH_SEARCH_PER_ROLLOUT ?? 50);
const REPS = Math.max(1, Number(process.env.BENCH_SEARCH_REPS ?? 7));
const GROUP = 8;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number) => Math.round(x * 10) / 10;

const VOCAB_SIZE = 5_000;
const SYLLABLES = ["ka", "ro", "mi", "tel", "van", "sor", "qui", "len", "dra", "pex", "lu", "gon", "ber", "fi", "sta", "nox"];
/** Deterministic pseudo-words: word i is a fixed syllable string (w0 is the most frequent). */
const vocab = Array.from({ length: VOCAB_SIZE }, (_, i) => {
  let s = "";
  let n = i + 17;
  do {
    s += SYLLABLES[n % SYLLABLES.length];
    n = Math.floor(n / SYLLABLES.length);
  } while (n > 0);
  return s;
});
const PHRASES = ["cancel my reservation", "change the flight", "baggage allowance", "travel insurance", "refund to the original payment", "upgrade to business"];
const TOOLS = ["get_user_details", "get_reservation_details", "search_direct_flight", "book_reservation", "cancel_reservation", "update_reservation_flights", "update_reservation_baggages", "send_certificate", "transfer_to_human_agents", "calculate"];
/** A phrase planted in one rollout in 20,000: the "rare" query. */
const RARE = "lost my emerald suitcase";

function buildMessages(db: Db, experimentId: number, seed: number): { ms: number; messages: number } {
  const rng = createRng(seed);
  const r = () => rng.next();
  // Zipf(1) over the vocabulary by inverse CDF on precomputed cumulative weights.
  const cum = new Float64Array(VOCAB_SIZE);
  let acc = 0;
  for (let i = 0; i < VOCAB_SIZE; i++) cum[i] = acc += 1 / (i + 1);
  const word = () => {
    const u = r() * acc;
    let lo = 0;
    let hi = VOCAB_SIZE - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return vocab[lo];
  };
  const sentence = (n: number) => Array.from({ length: n }, word).join(" ");
  const id6 = () => Array.from({ length: 6 }, () => "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"[Math.floor(r() * 34)]).join("");
  const c = db.$client;
  const ids = c.prepare(`SELECT id FROM rollouts WHERE experiment_id = ? ORDER BY rowid`).pluck().all(experimentId) as string[];
  const insMsg = c.prepare(`INSERT INTO rollout_messages (rollout_id, idx, role, body, content_id) VALUES (?, ?, ?, ?, ?)`);
  const longContent = Array.from({ length: 64 }, (_, i) => `{"record":${i},"payload":"${sentence(60)}"}`);
  const insContent = c.prepare(`INSERT INTO message_contents (id, content) VALUES (?, ?)`);
  longContent.forEach((t, i) => insContent.run(i + 1, t));
  let n = 0;
  const t0 = performance.now();
  const chunk = 2_000;
  for (let at = 0; at < ids.length; at += chunk) {
    c.transaction(() => {
      for (let j = at; j < Math.min(ids.length, at + chunk); j++) {
        const rid = ids[j];
        // One rollout in 20,000 carries the rare phrase (the 8th, so a small build has one too).
        const rare = j % 20_000 === 7;
        for (let i = 0; i < PER_ROLLOUT; i++) {
          let body: string;
          let role: "assistant" | "user" | "tool";
          let contentId: number | null = null;
          const kind = i === 0 ? 0 : i % 4;
          if (kind === 0) {
            role = "assistant";
            body = JSON.stringify({ role, content: i === 0 ? "Hi! How can I help you today?" : `${sentence(6 + Math.floor(r() * 20))}${r() < 0.05 ? ` ${PHRASES[Math.floor(r() * PHRASES.length)]}` : ""}` });
          } else if (kind === 1) {
            role = "user";
            const extra = rare && i === 1 ? ` ${RARE}` : r() < 0.1 ? ` ${PHRASES[Math.floor(r() * PHRASES.length)]}` : "";
            body = JSON.stringify({ role, content: `${sentence(5 + Math.floor(r() * 25))}${extra}` });
          } else if (kind === 2) {
            role = "assistant";
            const name = TOOLS[Math.floor(r() * r() * TOOLS.length)];
            body = JSON.stringify({ role, content: null, tool_calls: [{ id: `c${i}`, name, arguments: { reservation_id: id6(), user_id: `${word()}_${Math.floor(r() * 9000)}` } }] });
          } else {
            role = "tool";
            if (r() < 0.3) body = JSON.stringify({ role, tool_call_id: `c${i - 1}`, content: r() < 0.5 ? `Error: reservation ${id6()} not found` : "Certificate sent.", error: false });
            else {
              contentId = 1 + Math.floor(r() * longContent.length);
              body = `{"role":"tool","tool_call_id":"c${i - 1}","error":false}`;
            }
          }
          insMsg.run(rid, i, role, body, contentId);
          n++;
        }
      }
    })();
  }
  return { ms: performance.now() - t0, messages: n };
}

/** What a build measured, kept beside a reused database (BENCH_SEARCH_DB) so every run prints the same fields. */
interface BuildRecord {
  experimentId: number;
  messages: number;
  rollouts: number;
  perRollout: number;
  build: { rollout_rows_ms: number; messages_with_index_ms: number; messages_per_s_with_index: number; baseline_messages_per_s_without_index: number };
  db_mb: number;
  fts_pages: number | null;
}

/** Build the synthetic experiment into `file` (and the trigger-less baseline in `dir`); returns what the build measured. */
function buildDatabase(dir: string, file: string, rollouts: number): BuildRecord {
  // Baseline: the same writes without the index trigger (what indexing costs the writers).
  const base = openDb(join(dir, "base.db"));
  base.$client.exec("DROP TRIGGER rollout_messages_search_ai");
  const b = insertSyntheticExperiment(base, { tasks: Math.ceil(100_000 / PER_ROLLOUT / GROUP), groupSize: GROUP, messagesPerRollout: 0, seed: 5 });
  const baseline = buildMessages(base, b.experimentId, 5);
  closeDb(base);
  rmSync(join(dir, "base.db"), { force: true });

  const db = openDb(file);
  const tSyn = performance.now();
  const exp = insertSyntheticExperiment(db, { name: "search-bench", tasks: rollouts / GROUP, groupSize: GROUP, messagesPerRollout: 0, seed: 7 });
  const synMs = performance.now() - tSyn;
  const built = buildMessages(db, exp.experimentId, 7);
  console.error(`built ${built.messages} messages in ${Math.round(built.ms)} ms (baseline ${Math.round(baseline.ms)} ms for ${baseline.messages})`);
  db.$client.pragma("wal_checkpoint(TRUNCATE)");
  const ftsPages = (db.$client.prepare(`SELECT count(*) FROM dbstat WHERE name LIKE 'message_search%'`).pluck().get() as number | undefined) ?? null;
  closeDb(db);
  return {
    experimentId: exp.experimentId,
    messages: built.messages,
    rollouts,
    perRollout: PER_ROLLOUT,
    build: {
      rollout_rows_ms: Math.round(synMs),
      messages_with_index_ms: Math.round(built.ms),
      messages_per_s_with_index: Math.round(built.messages / (built.ms / 1000)),
      baseline_messages_per_s_without_index: Math.round(baseline.messages / (baseline.ms / 1000)),
    },
    db_mb: round(statSync(file).size / 1e6),
    fts_pages: ftsPages,
  };
}

/**
 * The database to search: BENCH_SEARCH_DB names a file built once and reused by later runs
 * (its build figures are kept in `<file>.json` and printed again); without it, a temp file
 * removed at the end. A build goes to `<file>.building` first, so an interrupted one is never reused.
 */
function database(dir: string, rollouts: number): { file: string; record: BuildRecord; reused: boolean } {
  const keep = process.env.BENCH_SEARCH_DB;
  if (!keep) {
    const file = join(dir, "search.db");
    return { file, record: buildDatabase(dir, file, rollouts), reused: false };
  }
  const meta = `${keep}.json`;
  if (existsSync(keep) && existsSync(meta)) {
    const record = JSON.parse(readFileSync(meta, "utf8")) as BuildRecord;
    if (record.rollouts !== rollouts || record.perRollout !== PER_ROLLOUT) {
      throw new Error(`${keep} holds ${record.rollouts} rollouts of ${record.perRollout} messages, not ${rollouts} of ${PER_ROLLOUT}: remove it (and ${meta}) or pick another BENCH_SEARCH_DB`);
    }
    console.error(`reusing ${keep} (${record.messages} messages)`);
    return { file: keep, record, reused: true };
  }
  mkdirSync(dirname(keep), { recursive: true });
  const building = `${keep}.building`;
  for (const f of [building, `${building}-wal`, `${building}-shm`]) rmSync(f, { force: true });
  const record = buildDatabase(dir, building, rollouts);
  renameSync(building, keep);
  writeFileSync(meta, JSON.stringify(record, null, 2));
  return { file: keep, record, reused: false };
}

function main() {
  const dir = mkdtempSync(join(tmpdir(), "writ-bench-search-"));
  try {
    const rollouts = Math.max(GROUP, Math.round(MESSAGES / PER_ROLLOUT / GROUP) * GROUP);
    const { file, record, reused } = database(dir, rollouts);
    const db = openDb(file);
    const experimentId = record.experimentId;
    const run = (q: Record<string, string>) => searchRollouts(db, experimentId, searchQuerySchema.parse(q));
    /**
     * A cold start as after a fresh build: no stored class rows (the synthetic rollouts have
     * none; a reused database keeps those an earlier run's first search wrote) and an empty
     * calibration store.
     */
    const coldStart = () => {
      db.$client.prepare(`DELETE FROM rollout_classes WHERE experiment_id = ?`).run(experimentId);
      clearCalibrationStore();
    };
    const timed = (q: Record<string, string>) => {
      const t = performance.now();
      run(q);
      return Math.round(performance.now() - t);
    };

    coldStart();
    const firstMs = timed({ q: "baggage allowance", limit: "100" });
    console.error(`first search ${firstMs} ms`);
    // A restarted server: the class rows the first load wrote are read back instead of re-classified.
    clearCalibrationStore();
    const restartMs = timed({ q: "baggage allowance", limit: "100" });
    // The same with a tier filter (it needs every rollout's tiers, not only the page's).
    coldStart();
    const firstTierMs = timed({ q: "baggage allowance", tier: "read", limit: "100" });
    clearCalibrationStore();
    const restartTierMs = timed({ q: "baggage allowance", tier: "read", limit: "100" });
    console.error(`first tier-filtered search ${firstTierMs} ms (after restart ${restartTierMs} ms)`);

    const cases: Record<string, Record<string, string>> = {
      rare_phrase: { q: `"${RARE}"` },
      phrase: { q: '"travel insurance"' },
      mid_word: { q: vocab[400] },
      frequent_word: { q: vocab[3] },
      word_and_filters: { q: vocab[400], outcome: "fail", termination: "user_stop" },
      prefix: { q: `${vocab[900].slice(0, 5)}*` },
      tool_called: { tool: "send_certificate", outcome: "pass" },
      filters_only: { outcome: "fail", w: "3" },
      tier_filter: { q: vocab[400], tier: "read" },
      // A page half way down a word in every rollout (the cursor is an index key: a seek into its postings).
      frequent_word_far_page: { q: vocab[3], cursor: String(Math.floor(rollouts / 2)) },
    };
    const results: Record<string, { median_ms: number; total: number; total_capped?: boolean }> = {};
    for (const [name, q] of Object.entries(cases)) {
      const times: number[] = [];
      let answer: SearchResponse | null = null;
      for (let i = 0; i < REPS; i++) {
        const t = performance.now();
        answer = run({ ...q, limit: "100" });
        times.push(performance.now() - t);
      }
      results[name] = { median_ms: round(median(times)), total: answer!.total, ...(answer!.total_capped ? { total_capped: true } : {}) };
    }
    const p1 = run({ q: vocab[400], limit: "100" });
    // A small build may have a single page of them.
    if (p1.next_cursor) {
      const page2: number[] = [];
      for (let i = 0; i < REPS; i++) {
        const t = performance.now();
        run({ q: vocab[400], limit: "100", cursor: p1.next_cursor });
        page2.push(performance.now() - t);
      }
      results.mid_word_page_2 = { median_ms: round(median(page2)), total: p1.total };
    }
    closeDb(db);
    console.log(
      JSON.stringify(
        {
          bench: "search",
          messages: record.messages,
          rollouts,
          database: { reused, file: process.env.BENCH_SEARCH_DB ? file : null },
          build: record.build,
          db_mb: record.db_mb,
          fts_pages: record.fts_pages,
          first_search_ms: firstMs,
          first_search_after_restart_ms: restartMs,
          first_tier_search_ms: firstTierMs,
          first_tier_search_after_restart_ms: restartTierMs,
          reps: REPS,
          queries: results,
        },
        null,
        2,
      ),
    );
  } finally {
    if (process.env.BENCH_SEARCH_KEEP === "1") console.error(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

main();
