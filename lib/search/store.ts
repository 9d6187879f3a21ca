/**
 * The search's SQL (lib/search/search.ts builds the response; ./text-scan.ts decides what a
 * text query reads): FTS5 matches on message_search (rowids, or the distinct rollout keys of
 * the rowids), index keys → candidate rollouts under the summary row filters, the candidates
 * of a query without text, the page's summary rows and messages, and the class rows and
 * messages of the page's groups (their strips).
 */
import type Database from "better-sqlite3";
import type { Db } from "../../db/client";
import { restoreMessage } from "../../db/queries/message-body";
import { createCache } from "../cache/lru";
import { DEFAULT_CLASS_KEY, type ClassRowTuple } from "../calibration/class-store";
import { CLASS_ROW_COLUMNS } from "../calibration/store/class-rows";
import { ValidationError } from "../errors/app-error";
import type { Message } from "../types/messages";
import { toolNameMatch } from "./query";
import type { SearchQuery } from "./schemas";

/** message_search rowid = rollout key * 2^KEY_SHIFT + message index (see the migration). */
const KEY_SHIFT = 20;

export interface Candidate {
  /** Sort key and cursor: the index key (message_search_rollouts.key) for a text query, the rollout's rowid otherwise. */
  k: number;
  id: string;
  hits: number;
  firstIdx: number | null;
}

interface Filter {
  sql: string;
  args: unknown[];
}

function requireToolMatch(tool: string): string {
  const match = toolNameMatch(tool);
  if (!match) throw new ValidationError("tool must be a tool name", "tool");
  return match;
}

/** The summary-row filters; `withTool`: false leaves the tool filter to the caller (a text query applies it as a key set). */
function sqlFilters(q: SearchQuery, withTool = true): Filter[] {
  const f: Filter[] = [];
  if (q.outcome) f.push({ sql: "r.outcome = ?", args: [q.outcome === "pass" ? 1 : 0] });
  if (q.termination) f.push({ sql: "r.termination = ?", args: [q.termination] });
  if (q.w !== undefined) f.push({ sql: "r.writes = ?", args: [q.w] });
  // B as the workbench's W × B grid reads it (CLASS_ROW_COLUMNS, lib/calibration/store/class-rows.ts).
  if (q.b !== undefined) f.push({ sql: "coalesce(r.evidence_cell, r.evidence_total) = ?", args: [q.b] });
  if (q.steps) f.push({ sql: "r.step BETWEEN ? AND ?", args: q.steps });
  if (q.preset) f.push({ sql: "r.preset = ?", args: [q.preset] });
  if (q.agent) f.push({ sql: "json_extract(r.metadata, '$.agent') = ?", args: [q.agent] });
  if (q.user) f.push({ sql: "json_extract(r.metadata, '$.user') = ?", args: [q.user] });
  if (q.tool && withTool) {
    f.push({
      sql: `r.id IN (SELECT sr.rollout_id FROM message_search_rollouts sr
                      WHERE sr.key IN (SELECT rowid >> ${KEY_SHIFT} FROM message_search WHERE message_search MATCH ?))`,
      args: [requireToolMatch(q.tool)],
    });
  }
  return f;
}

/**
 * Prepared candidate queries by SQL text (filters combine into a few hundred shapes at most).
 * A statement belongs to one connection: one prepared on another is prepared again.
 */
const statements = createCache<{ client: Database.Database; statement: Database.Statement }>({
  name: "search.statements",
  maxEntries: 256,
  purpose: "prepared search statements by SQL text (a filter combination's query is prepared once)",
});

function prepare(client: Database.Database, sql: string): Database.Statement {
  const hit = statements.get(sql);
  if (hit && hit.client === client) return hit.statement;
  const statement = client.prepare(sql);
  statements.set(sql, { client, statement });
  return statement;
}

/** Rollouts of the experiment matching the query's filters (no text), in rowid order: `k` is the rowid. */
export function filterCandidates(db: Db, experimentId: number, q: SearchQuery): Candidate[] {
  const filters = sqlFilters(q);
  const where = ["r.experiment_id = ?", ...filters.map((f) => f.sql)].join(" AND ");
  const rows = prepare(db.$client, `SELECT r.rowid, r.id FROM rollouts r WHERE ${where} ORDER BY r.rowid`)
    .raw()
    .all(experimentId, ...filters.flatMap((f) => f.args)) as [number, string][];
  return rows.map(([k, id]) => ({ k, id, hits: 0, firstIdx: null }));
}

/**
 * The rowids of the first `limit` messages matching the FTS expression from rowid `from` on,
 * in rowid order (= index key order). FTS5 streams a term's posting list from its start
 * cheaply and stops at the LIMIT; what it does badly is a rowid range with an upper bound (it
 * reads the whole list) and a far seek, so callers read from one start with growing limits
 * instead of windows of keys (measured at 5M messages: lib/search/README.md).
 */
export function matchingRowids(db: Db, match: string, from: number, limit: number): number[] {
  return prepare(db.$client, `SELECT rowid FROM message_search WHERE message_search MATCH ? AND rowid >= ? ORDER BY rowid LIMIT ?`)
    .pluck()
    .all(match, from, limit) as number[];
}

/**
 * The first `limit` distinct index keys with a message matching the FTS expression, in key
 * order: what a count needs (which rollouts match, not how often). SQLite drops repeats as they
 * stream (no sort), so this costs about the postings read, and returns one row per rollout.
 */
export function matchingKeys(db: Db, match: string, limit: number): number[] {
  const keys = prepare(db.$client, `SELECT DISTINCT rowid >> ${KEY_SHIFT} FROM message_search WHERE message_search MATCH ? LIMIT ?`)
    .pluck()
    .all(match, limit) as number[];
  // Streamed in rowid order already; sorting a sorted array is one pass, and keeps the order certain.
  return keys.sort((a, b) => a - b);
}

/** Index keys of the rollouts that called `tool` (the text query's tool filter, as a set: one pass over the tool's postings). */
export function toolKeys(db: Db, tool: string): Set<number> {
  const rows = prepare(db.$client, `SELECT DISTINCT rowid >> ${KEY_SHIFT} FROM message_search WHERE message_search MATCH ?`).pluck().all(requireToolMatch(tool)) as number[];
  return new Set(rows);
}

/**
 * Which of `keys` (index keys) are rollouts of the experiment passing the query's SQL filters
 * (not the tool filter: see toolKeys): key → rollout id. The keys go in as one JSON parameter,
 * so the statement is prepared once per filter combination.
 */
export function keyCandidates(db: Db, experimentId: number, q: SearchQuery, keys: readonly number[]): Map<number, string> {
  if (!keys.length) return new Map();
  const filters = sqlFilters(q, false);
  const where = ["r.experiment_id = ?", ...filters.map((f) => f.sql)].join(" AND ");
  // CROSS JOIN fixes the loop order: the given keys drive, each a primary-key then unique-index lookup.
  const rows = prepare(
    db.$client,
    `SELECT sr.key, r.id FROM json_each(?) j
       CROSS JOIN message_search_rollouts sr ON sr.key = j.value
       CROSS JOIN rollouts r ON r.id = sr.rollout_id
      WHERE ${where}`,
  )
    .raw()
    .all(JSON.stringify(keys), experimentId, ...filters.flatMap((f) => f.args)) as [number, string][];
  return new Map(rows);
}

/** message_search rowid → [index key, message index]. */
export function splitRowid(rowid: number): [number, number] {
  return [Math.floor(rowid / 2 ** KEY_SHIFT), rowid % 2 ** KEY_SHIFT];
}

/** The first message_search rowid of index key `key`. */
export const firstRowidOf = (key: number): number => key * 2 ** KEY_SHIFT;

export interface SearchSummaryRow {
  id: string;
  group_id: string;
  task_id: string;
  sample_index: number;
  outcome: number | null;
  termination: string | null;
  turns: number;
  preset: string | null;
  agent: string | null;
  step: number | null;
  writes: number | null;
  b: number | null;
}

/** Summary rows of a page of rollouts, by id. */
export function readSearchSummaries(db: Db, ids: string[]): Map<string, SearchSummaryRow> {
  if (!ids.length) return new Map();
  const rows = db.$client
    .prepare(
      `SELECT id, group_id, task_id, sample_index, outcome, termination, turns, preset,
              json_extract(metadata, '$.agent') AS agent, step, writes, coalesce(evidence_cell, evidence_total) AS b
         FROM rollouts WHERE id IN (${ids.map(() => "?").join(",")})`,
    )
    .all(...ids) as SearchSummaryRow[];
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * The messages of some rollouts up to an index each (the page's first matching message and
 * those before it: all a snippet and its turn number need), by id, in order.
 */
export function readMessagePrefixes(db: Db, upTo: ReadonlyMap<string, number>): Map<string, Message[]> {
  const out = new Map<string, Message[]>([...upTo.keys()].map((id) => [id, []]));
  if (!upTo.size) return out;
  // One JSON parameter of [id, last index] pairs; each pair reads its rollout's rows through the (rollout_id, idx) index.
  const rows = prepare(
    db.$client,
    `SELECT m.rollout_id, m.body, m.content_id, c.content FROM json_each(?) j
       CROSS JOIN rollout_messages m ON m.rollout_id = json_extract(j.value, '$[0]') AND m.idx <= json_extract(j.value, '$[1]')
       LEFT JOIN message_contents c ON c.id = m.content_id
      ORDER BY m.rollout_id, m.idx`,
  )
    .raw()
    .all(JSON.stringify([...upTo])) as [string, string, number | null, string | null][];
  for (const [id, body, contentId, content] of rows) out.get(id)?.push(restoreMessage(body, contentId, content));
  return out;
}

/**
 * The agent and tool messages of some rollouts, by id, in order: what classification reads
 * (the calibration store reads no user message either: lib/calibration/store/analysis-load.ts
 * streamMessages), for the page's groups when their class rows are missing.
 */
export function readClassifiedMessages(db: Db, ids: readonly string[]): Map<string, Message[]> {
  const out = new Map<string, Message[]>();
  if (!ids.length) return out;
  const rows = prepare(
    db.$client,
    `SELECT m.rollout_id, m.body, m.content_id, c.content FROM json_each(?) j
       CROSS JOIN rollout_messages m ON m.rollout_id = j.value
       LEFT JOIN message_contents c ON c.id = m.content_id
      WHERE m.role != 'user'
      ORDER BY m.rollout_id, m.idx`,
  )
    .raw()
    .all(JSON.stringify(ids)) as [string, string, number | null, string | null][];
  for (const [id, body, contentId, content] of rows) {
    let list = out.get(id);
    if (!list) out.set(id, (list = []));
    list.push(restoreMessage(body, contentId, content));
  }
  return out;
}

/**
 * The class rows (CLASS_ROW_COLUMNS: summary columns + stored default-key blob, null when
 * missing) of every finished rollout in the groups of `ids`: what a page's strips are computed
 * from (advantages are normalised within the group, so a row needs its siblings).
 */
export function readGroupClassRows(db: Db, experimentId: number, ids: readonly string[]): ClassRowTuple[] {
  if (!ids.length) return [];
  // The ids as one JSON parameter: one statement for every page size. CROSS JOIN keeps the
  // page's groups as the outer loop, and the unary + keeps the planner on the group index
  // (with the experiment's status index it would read every rollout of the experiment per group).
  return prepare(
    db.$client,
    `SELECT ${CLASS_ROW_COLUMNS}
       FROM (SELECT DISTINCT group_id FROM rollouts WHERE id IN (SELECT value FROM json_each(?))) g
       CROSS JOIN rollouts r ON r.group_id = g.group_id
       LEFT JOIN rollout_classes c ON c.rollout_id = r.id AND c.class_key = ?
      WHERE +r.experiment_id = ? AND +r.status IN ('done', 'error')`,
  )
    .raw()
    .all(JSON.stringify(ids), DEFAULT_CLASS_KEY, experimentId) as ClassRowTuple[];
}
