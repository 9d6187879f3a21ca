/**
 * Search and filter the rollouts of one experiment: full-text over message text and tool
 * calls (the message_search FTS5 index, kept current by triggers on rollout_messages), SQL
 * filters on the summary row, and tier / misalignment filters from the columnar store under
 * the selected reward config. Answers a page of rollout rows with a highlighted snippet of the
 * first matching message, the rollout strip, and a link into the group view at that turn.
 *
 * Order, which is also the keyset of the cursor: with a text query, the index key (the order
 * the rollouts' first messages were stored in); without one, the rollouts' rowid. A text query
 * reads only what its page and its count need (./text-scan.ts): the count stops past
 * SEARCH_TOTAL_CAP, so a word in every rollout costs about as much as one in 10,000; `total`
 * is exact up to the cap, then `total_capped`. Without text the full candidate list (ids only)
 * is built and `total` is exact. The tier filters, computed in memory, combine with the SQL
 * ones; without them only the page's groups are classified (./page-strips.ts).
 */
import type { Db } from "../../db/client";
import { rolloutBrowserHref, requireExperiment } from "../calibration/analysis";
import { resolveBrowserConfig } from "../calibration/annotations";
import { extractTurns, TIER_NAMES, type EstimatorName } from "../rewards";
import type { Message } from "../types/messages";
import { snippetParts, type SnippetPart } from "./highlight";
import { parseSearchQuery } from "./query";
import type { SearchQuery } from "./schemas";
import { pageTurnValues } from "./page-strips";
import { filterCandidates, keyCandidates, matchingKeys, matchingRowids, readMessagePrefixes, readSearchSummaries, toolKeys, type Candidate } from "./store";
import { FIRST_READ, KEY_CHUNK, textPage, type CandidatePage } from "./text-scan";
import { stripOf, turnFlags, type RolloutStripData, type TurnFlags } from "./turn-flags";

export const DEFAULT_SEARCH_PAGE = 100;

/** A text query counts matching rollouts up to this many; past it `total` is this and `total_capped` is set (the page shows "10,000+"). */
export const SEARCH_TOTAL_CAP = 10_000;

export interface SearchOptions {
  /** Overrides SEARCH_TOTAL_CAP (tests). */
  totalCap?: number;
  /** Override the first read of a text scan (matching messages for the page, keys for the count) and the keys looked up per statement (tests: many reads and lookups over few rollouts). */
  firstRead?: number;
  keyChunk?: number;
}

export interface SearchMatch {
  /** Index of the first matching message in the conversation. */
  message_index: number;
  role: Message["role"];
  /** Agent-turn index (0-based, the RL export's numbering) of that message or the turn it answers; null before the first agent turn. */
  turn: number | null;
  parts: SnippetPart[];
}

export interface SearchRow {
  rollout_id: string;
  group_id: string;
  task_id: string;
  sample_index: number;
  outcome: 0 | 1 | null;
  termination: string | null;
  turns: number;
  preset: string | null;
  agent: string | null;
  step: number | null;
  w: number | null;
  b: number | null;
  /** Messages of this rollout matching the query (0 without one). */
  hits: number;
  match: SearchMatch | null;
  strip: RolloutStripData;
  href: string;
}

export interface SearchResponse {
  experiment_id: number;
  q: string;
  /**
   * Rollouts matching query and filters: exact, except for a text query matching more than
   * SEARCH_TOTAL_CAP rollouts, where it is SEARCH_TOTAL_CAP and `total_capped` is true.
   */
  total: number;
  /** `total` is a lower bound: more rollouts match (show it as "10,000+"); paging with next_cursor still reaches all of them. */
  total_capped: boolean;
  rows: SearchRow[];
  next_cursor: string | null;
  config: { label: string; iteration_id: number | null; estimator: string; config_hash: string };
  took_ms: number;
}

/** Text a message is searched and highlighted by: what it says, then its tool calls. */
export function messageSearchText(m: Message): string {
  if (m.role !== "assistant") return m.content ?? "";
  const calls = (m.tool_calls ?? []).map((c) => `${c.name}(${typeof c.arguments === "string" ? c.arguments : JSON.stringify(c.arguments)})`);
  return [m.content, m.error, ...calls].filter((s): s is string => !!s).join("\n");
}

/** Agent-turn index of the message at `idx`: its own turn, or the last agent turn before it (`messages` need go no further than `idx`). */
function turnOfMessage(messages: readonly Message[], idx: number): number | null {
  let k: number | null = null;
  extractTurns(messages).forEach((t, i) => {
    if (t.messageIndex <= idx) k = i;
  });
  return k;
}

/** Without text: every candidate (ids only; exact count), cut after the cursor. */
function filterPage(all: Candidate[], after: number, limit: number): CandidatePage {
  // Candidates are sorted by k: binary search for the first k > cursor.
  let lo = 0;
  let hi = all.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (all[mid].k <= after) lo = mid + 1;
    else hi = mid;
  }
  return { page: all.slice(lo, lo + limit), more: lo + limit < all.length, total: all.length, capped: false };
}

export function searchRollouts(db: Db, experimentId: number, q: SearchQuery, options: SearchOptions = {}): SearchResponse {
  const started = performance.now();
  requireExperiment(db, experimentId);
  const parsed = parseSearchQuery(q.q ?? "");
  const resolved = resolveBrowserConfig(db, experimentId, {
    iteration: q.iteration ?? q.it,
    diff: q.c || undefined,
    estimator: q.estimator as EstimatorName | undefined,
  });

  // Tier and misalignment filters need every rollout's tiers (the calibration store); without them only the page's groups are classified.
  let flags: TurnFlags | null = null;
  let keep = (_c: Candidate) => true;
  if (q.tier || q.mismatch) {
    const f = (flags = turnFlags(db, experimentId, resolved.config, resolved.config_hash));
    const bit = q.tier ? 1 << TIER_NAMES.indexOf(q.tier) : 0;
    const wantMis = q.mismatch === undefined ? null : q.mismatch === "1";
    const misaligned = wantMis === null ? null : f.misaligned(db);
    keep = (c) => {
      const i = f.index.get(c.id);
      // A rollout not scored yet (still running) has no turns under any config.
      if (i === undefined) return false;
      if (bit && !(f.tierMask[i] & bit)) return false;
      if (misaligned && (misaligned[i] === 1) !== wantMis) return false;
      return true;
    };
  }

  const limit = q.limit ?? DEFAULT_SEARCH_PAGE;
  const after = q.cursor === undefined ? -1 : Number(q.cursor);
  const match = parsed.match;
  const { page, more, total, capped } =
    match === null
      ? filterPage(filterCandidates(db, experimentId, q).filter(keep), after, limit)
      : textPage(
          {
            rowids: (from, n) => matchingRowids(db, match, from, n),
            keys: (n) => matchingKeys(db, match, n),
            lookup: (keys) => keyCandidates(db, experimentId, q, keys),
            toolKeys: q.tool ? toolKeys(db, q.tool) : null,
            keep,
            firstRead: options.firstRead ?? FIRST_READ,
            firstKeys: options.firstRead,
            keyChunk: options.keyChunk ?? KEY_CHUNK,
          },
          after,
          limit,
          options.totalCap ?? SEARCH_TOTAL_CAP,
        );

  const ids = page.map((c) => c.id);
  const info = readSearchSummaries(db, ids);
  const firstMatches = new Map(page.flatMap((c) => (c.firstIdx === null ? [] : [[c.id, c.firstIdx] as [string, number]])));
  const messages = readMessagePrefixes(db, firstMatches);
  const pageValues = flags || !ids.length ? null : pageTurnValues(db, experimentId, resolved.config, ids);
  const strip = (id: string, outcome: number | null) => (flags ? flags.strip(id, outcome) : stripOf(pageValues!, id, outcome));

  const rows: SearchRow[] = [];
  for (const c of page) {
    const r = info.get(c.id);
    if (!r) continue;
    let match: SearchMatch | null = null;
    const msgs = messages.get(c.id);
    if (c.firstIdx !== null && msgs?.[c.firstIdx]) {
      const m = msgs[c.firstIdx];
      match = { message_index: c.firstIdx, role: m.role, turn: turnOfMessage(msgs, c.firstIdx), parts: snippetParts(messageSearchText(m), parsed.terms) };
    }
    rows.push({
      rollout_id: r.id,
      group_id: r.group_id,
      task_id: r.task_id,
      sample_index: r.sample_index,
      outcome: r.outcome === null ? null : r.outcome === 1 ? 1 : 0,
      termination: r.termination,
      turns: r.turns,
      preset: r.preset,
      agent: r.agent,
      step: r.step,
      w: r.writes,
      b: r.b,
      hits: c.hits,
      match,
      strip: strip(r.id, r.outcome),
      href: rolloutBrowserHref(experimentId, r.group_id, match?.turn ?? -1, r.sample_index) + configParams(q),
    });
  }
  return {
    experiment_id: experimentId,
    q: q.q ?? "",
    total,
    total_capped: capped,
    rows,
    next_cursor: more && page.length ? String(page[page.length - 1].k) : null,
    config: { label: resolved.label, iteration_id: resolved.iteration_id, estimator: resolved.estimator, config_hash: resolved.config_hash },
    took_ms: Math.round((performance.now() - started) * 10) / 10,
  };
}

/** The config the search ran under, carried into the group view's URL. */
function configParams(q: SearchQuery): string {
  const p = new URLSearchParams();
  const it = q.iteration ?? q.it;
  if (it !== undefined) p.set("iteration", String(it));
  if (q.c) p.set("c", q.c);
  if (q.estimator) p.set("estimator", q.estimator);
  const s = p.toString();
  return s ? `&${s}` : "";
}
