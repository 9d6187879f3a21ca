/**
 * Search and filter the rollouts of one experiment: full-text over message text and tool
 * calls (the message_search FTS5 index, kept current by triggers on rollout_messages), SQL
 * filters on the summary row, and tier / misalignment filters from the columnar store under
 * the selected reward config. Answers a page of rollout rows with a highlighted snippet of the
 * first matching message, the rollout strip, and a link into the group view at that turn.
 *
 * Order: the rollouts' insertion order (rowid), which is also the keyset of the cursor. The
 * full candidate list is built per request (ids and sort keys only), so `total` is exact and
 * the tier filters, computed in memory, combine with the SQL ones.
 */
import type { Db } from "../../db/client";
import { rolloutBrowserHref, requireExperiment } from "../calibration/analysis";
import { resolveBrowserConfig } from "../calibration/annotations";
import { extractTurns, TIER_NAMES, type EstimatorName } from "../rewards";
import type { Message } from "../types/messages";
import { snippetParts, type SnippetPart } from "./highlight";
import { parseSearchQuery } from "./query";
import type { SearchQuery } from "./schemas";
import { readSearchMessages, readSearchSummaries, searchCandidates } from "./store";
import { turnFlags, type RolloutStripData } from "./turn-flags";

export const DEFAULT_SEARCH_PAGE = 100;

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
  /** Rollouts matching query and filters (exact). */
  total: number;
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

/** Agent-turn index of the message at `idx`: its own turn, or the last agent turn before it. */
function turnOfMessage(messages: readonly Message[], idx: number): number | null {
  let k: number | null = null;
  extractTurns(messages).forEach((t, i) => {
    if (t.messageIndex <= idx) k = i;
  });
  return k;
}

export function searchRollouts(db: Db, experimentId: number, q: SearchQuery): SearchResponse {
  const started = performance.now();
  requireExperiment(db, experimentId);
  const parsed = parseSearchQuery(q.q ?? "");
  const resolved = resolveBrowserConfig(db, experimentId, {
    iteration: q.iteration ?? q.it,
    diff: q.c || undefined,
    estimator: q.estimator as EstimatorName | undefined,
  });
  const flags = turnFlags(db, experimentId, resolved.config, resolved.config_hash);

  let list = searchCandidates(db, experimentId, parsed.match, q);
  if (q.tier || q.mismatch) {
    const bit = q.tier ? 1 << TIER_NAMES.indexOf(q.tier) : 0;
    const wantMis = q.mismatch === undefined ? null : q.mismatch === "1";
    list = list.filter((c) => {
      const i = flags.index.get(c.id);
      // A rollout not scored yet (still running) has no turns under any config.
      if (i === undefined) return false;
      if (bit && !(flags.tierMask[i] & bit)) return false;
      if (wantMis !== null && (flags.misaligned[i] === 1) !== wantMis) return false;
      return true;
    });
  }

  const limit = q.limit ?? DEFAULT_SEARCH_PAGE;
  const after = q.cursor === undefined ? -Infinity : Number(q.cursor);
  let from = 0;
  if (after !== -Infinity) {
    // Candidates are sorted by k: binary search for the first k > cursor.
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].k <= after) lo = mid + 1;
      else hi = mid;
    }
    from = lo;
  }
  const page = list.slice(from, from + limit);
  const ids = page.map((c) => c.id);
  const info = readSearchSummaries(db, ids);
  const messages = parsed.match ? readSearchMessages(db, ids) : new Map<string, Message[]>();

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
      strip: flags.strip(r.id, r.outcome),
      href: rolloutBrowserHref(experimentId, r.group_id, match?.turn ?? -1, r.sample_index) + configParams(q),
    });
  }
  const more = from + limit < list.length;
  return {
    experiment_id: experimentId,
    q: q.q ?? "",
    total: list.length,
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
