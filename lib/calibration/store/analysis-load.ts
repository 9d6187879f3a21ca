/**
 * The reads behind the workbench's columnar data (lib/calibration/experiment-data.ts): finished
 * rollouts' summary rows, their assistant/tool messages (streamed), the tasks' gold actions and
 * the one joined query of summary columns + stored class blob of the cold load. Every query
 * here is raw SQL on the better-sqlite3 handle: these loads read 80k rows at a time and
 * `.raw()` arrays are several times faster than keyed objects.
 */
import type Database from "better-sqlite3";
import type { Db } from "../../../db/client";
import { restoreMessage } from "../../../db/queries/message-body";
import type { GoldAction } from "../../rewards";
import type { Message } from "../../types/messages";
import type { Task } from "../../types/task";
import { DEFAULT_CLASS_KEY, type ClassRowTuple } from "../class-store";
import { CLASS_ROW_COLUMNS } from "./class-rows";

export interface SummaryRow {
  id: string;
  group_id: string;
  task_id: string;
  sample_index: number;
  outcome: number | null;
  writes: number | null;
  evidence_cell: number | null;
  evidence_total: number | null;
  behavior: string | null;
  finished_at: number | null;
}

/** Which database a handle is open on: cached experiments are keyed by it, so tests with separate temp dbs never share entries. */
export function databaseKey(db: Db): string {
  return db.$client.name;
}

function prepared(client: Database.Database, sql: string): Database.Statement {
  return client.prepare(sql);
}

/** Gold actions of the experiment's tasks (those with groups), by task id. */
export function readGold(db: Db, experimentId: number): Map<string, GoldAction[]> {
  const rows = prepared(
    db.$client,
    `SELECT t.task_id AS task_id, t.body AS body FROM tasks t JOIN experiments e ON e.task_set_id = t.task_set_id
     WHERE e.id = ? AND t.task_id IN (SELECT DISTINCT task_id FROM groups WHERE experiment_id = ?)`,
  ).all(experimentId, experimentId) as { task_id: string; body: string }[];
  const gold = new Map<string, GoldAction[]>();
  for (const r of rows) {
    const task = JSON.parse(r.body) as Task;
    const actions = task.evaluation_criteria?.actions ?? [];
    gold.set(r.task_id, actions.map((a) => ({ name: a.name, arguments: a.arguments as Record<string, unknown> })));
  }
  return gold;
}

const SUMMARY_COLUMNS = "id, group_id, task_id, sample_index, outcome, writes, evidence_cell, evidence_total, behavior, finished_at";
const FINISHED = `FROM rollouts WHERE experiment_id = ? AND status IN ('done', 'error')`;

/** Summary rows via .raw(): better-sqlite3 builds arrays much faster than keyed objects (80k rows per load). */
function summaryRows(client: Database.Database, sql: string, ...params: unknown[]): SummaryRow[] {
  const rows = prepared(client, sql).raw(true).all(...params) as unknown[][];
  const out = new Array<SummaryRow>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    out[i] = {
      id: r[0] as string,
      group_id: r[1] as string,
      task_id: r[2] as string,
      sample_index: r[3] as number,
      outcome: r[4] as number | null,
      writes: r[5] as number | null,
      evidence_cell: r[6] as number | null,
      evidence_total: r[7] as number | null,
      behavior: r[8] as string | null,
      finished_at: r[9] as number | null,
    };
  }
  return out;
}

/** Finished rollouts of the experiment: a count over the (experiment, status) index. */
export function countFinished(db: Db, experimentId: number): number {
  return (prepared(db.$client, `SELECT count(*) ${FINISHED}`).pluck().get(experimentId) as number) ?? 0;
}

/** Summary rows of finished rollouts, in finished order; with `since`, only those finished at or after it. */
export function readSummaries(db: Db, experimentId: number, since?: number): SummaryRow[] {
  const base = `SELECT ${SUMMARY_COLUMNS} ${FINISHED}`;
  return since === undefined
    ? summaryRows(db.$client, `${base} ORDER BY coalesce(finished_at, 0), id`, experimentId)
    : summaryRows(db.$client, `${base} AND coalesce(finished_at, 0) >= ? ORDER BY coalesce(finished_at, 0), id`, experimentId, since);
}

/** Summary rows of finished rollouts in no particular order. */
export function readSummariesUnordered(db: Db, experimentId: number): SummaryRow[] {
  return summaryRows(db.$client, `SELECT ${SUMMARY_COLUMNS} ${FINISHED}`, experimentId);
}

/** The most recent `limit` finished rollouts' summary rows, oldest first. */
export function readRecentSummaries(db: Db, experimentId: number, limit: number): SummaryRow[] {
  return (
    prepared(db.$client, `SELECT ${SUMMARY_COLUMNS} ${FINISHED} ORDER BY coalesce(finished_at, 0) DESC, id DESC LIMIT ?`).all(experimentId, limit) as SummaryRow[]
  ).reverse();
}

/**
 * Stream the assistant/tool messages of `ids` (all finished rollouts of the experiment when
 * `all`), calling `onRollout` with each rollout's messages in order.
 */
export function streamMessages(db: Db, experimentId: number, ids: readonly string[], all: boolean, onRollout: (id: string, messages: Message[]) => void): void {
  const client = db.$client;
  const consume = (it: IterableIterator<unknown[]>) => {
    let current: string | null = null;
    let msgs: Message[] = [];
    for (const row of it) {
      const id = row[0] as string;
      if (id !== current) {
        if (current !== null) onRollout(current, msgs);
        current = id;
        msgs = [];
      }
      msgs.push(restoreMessage(row[1] as string, row[2] as number | null, row[3] as string | null));
    }
    if (current !== null) onRollout(current, msgs);
  };
  if (all) {
    const stmt = prepared(
      client,
      `SELECT m.rollout_id, m.body, m.content_id, c.content FROM rollout_messages m LEFT JOIN message_contents c ON c.id = m.content_id
       WHERE m.rollout_id IN (SELECT id FROM rollouts WHERE experiment_id = ? AND status IN ('done', 'error')) AND m.role != 'user'
       ORDER BY m.rollout_id, m.idx`,
    ).raw(true);
    consume(stmt.iterate(experimentId) as IterableIterator<unknown[]>);
    return;
  }
  const CHUNK = 400;
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    const stmt = prepared(
      client,
      `SELECT m.rollout_id, m.body, m.content_id, c.content FROM rollout_messages m LEFT JOIN message_contents c ON c.id = m.content_id
       WHERE m.rollout_id IN (${part.map(() => "?").join(",")}) AND m.role != 'user' ORDER BY m.rollout_id, m.idx`,
    ).raw(true);
    consume(stmt.iterate(...part) as IterableIterator<unknown[]>);
  }
}

/**
 * ONE SELECT (raw arrays) of the summary columns of every finished rollout joined with its
 * stored default-key class blob (null when missing), in no particular order: the caller sorts
 * (SQLite's sorter would carry every blob, there being no index on finished_at).
 */
export function readClassRows(db: Db, experimentId: number): ClassRowTuple[] {
  return prepared(
    db.$client,
    `SELECT ${CLASS_ROW_COLUMNS}
     FROM rollouts r LEFT JOIN rollout_classes c ON c.rollout_id = r.id AND c.class_key = ?
     WHERE r.experiment_id = ? AND r.status IN ('done', 'error')`,
  )
    .raw(true)
    .all(DEFAULT_CLASS_KEY, experimentId) as ClassRowTuple[];
}
