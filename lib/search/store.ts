/**
 * The search's SQL (lib/search/search.ts builds the response): the candidate rollouts of a
 * query (FTS5 matches on message_search, grouped by rollout from the rowid) under the summary
 * row filters, the page's summary rows and messages.
 */
import type Database from "better-sqlite3";
import type { Db } from "../../db/client";
import { getMessagesForRollouts } from "../../db/queries/rollouts";
import { createCache } from "../cache/lru";
import { ValidationError } from "../errors/app-error";
import type { Message } from "../types/messages";
import { toolNameMatch } from "./query";
import type { SearchQuery } from "./schemas";

/** message_search rowid = rollout key * 2^KEY_SHIFT + message index (see the migration). */
const KEY_SHIFT = 20;
const IDX_MASK = (1 << KEY_SHIFT) - 1;

export interface Candidate {
  k: number;
  id: string;
  hits: number;
  firstIdx: number | null;
}

interface Filter {
  sql: string;
  args: unknown[];
}

function sqlFilters(q: SearchQuery): Filter[] {
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
  if (q.tool) {
    const match = toolNameMatch(q.tool);
    if (!match) throw new ValidationError("tool must be a tool name", "tool");
    f.push({
      sql: `r.id IN (SELECT sr.rollout_id FROM message_search_rollouts sr
                      WHERE sr.key IN (SELECT rowid >> ${KEY_SHIFT} FROM message_search WHERE message_search MATCH ?))`,
      args: [match],
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

/** Rollouts of the experiment matching the FTS expression (null: no text query) and the query's filters, in rowid order. */
export function searchCandidates(db: Db, experimentId: number, match: string | null, q: SearchQuery): Candidate[] {
  const client = db.$client;
  const filters = sqlFilters(q);
  const where = ["r.experiment_id = ?", ...filters.map((f) => f.sql)].join(" AND ");
  const args = [experimentId, ...filters.flatMap((f) => f.args)];
  if (match === null) {
    const rows = prepare(client, `SELECT r.rowid, r.id FROM rollouts r WHERE ${where} ORDER BY r.rowid`).raw().all(...args) as [number, string][];
    return rows.map(([k, id]) => ({ k, id, hits: 0, firstIdx: null }));
  }
  // The index's rowid is rollout key * 2^20 + message index (db/migrations/0007_message_search.sql):
  // matches group by rollout from the rowid alone, and the summary row (experiment, filters) is
  // read once per matching rollout, not once per matching message. CROSS JOIN fixes the loop
  // order (SQLite's planner would otherwise scan the experiment's rollouts and rescan the
  // matches for each: quadratic).
  const rows = prepare(
    client,
    `SELECT r.rowid, r.id, x.hits, x.first_idx
       FROM (SELECT rowid >> ${KEY_SHIFT} AS k, count(*) AS hits, min(rowid & ${IDX_MASK}) AS first_idx
               FROM message_search WHERE message_search MATCH ? GROUP BY k) x
       CROSS JOIN message_search_rollouts sr ON sr.key = x.k
       CROSS JOIN rollouts r ON r.id = sr.rollout_id
      WHERE ${where}
      ORDER BY r.rowid`,
  )
    .raw()
    .all(match, ...args) as [number, string, number, number][];
  return rows.map(([k, id, hits, firstIdx]) => ({ k, id, hits, firstIdx }));
}

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

/** The messages of a page of rollouts, by id. */
export function readSearchMessages(db: Db, ids: readonly string[]): Map<string, Message[]> {
  return getMessagesForRollouts(db, ids);
}
