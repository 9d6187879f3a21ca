/**
 * Columnar rollouts per experiment, loaded from SQLite once and kept current.
 *
 * - Load, default classification key (the usual case: only tier values / estimator knobs
 *   change): the finished rollouts' summary rows + one streamed scan of their stored class
 *   blobs (rollout_classes, written when each rollout was finalised), copied into preallocated
 *   columnar arrays. No message body is read. Rollouts without a current class row (older
 *   data, errored rollouts) are classified from their messages once and the row is written
 *   back (lazy backfill).
 * - Load, any other key (deep-equal toggles, gold matching or tool lists changed): one
 *   streamed pass over the assistant/tool message bodies (user messages are never read:
 *   classification does not need them), each rollout classified into a compact row.
 * - Either way rollouts are appended in finished order, identical across classifications.
 * - Live: every access polls `rollouts` for rows finished since the last seen time (with a
 *   slack window, deduplicated by id, so writers with slightly skewed clocks are not missed)
 *   and appends them to every loaded classification of the experiment.
 * - Classification cache keyed by classificationKey(config): tier values, precedence and
 *   estimator knobs reuse it; deep-equal toggles, gold matching or tool lists load another one.
 * - Process-wide LRU of experiments bounded by count and by total turns held; a small result
 *   cache per experiment keyed by (config hash, data version, slice, sections).
 */
import type Database from "better-sqlite3";
import type { Db } from "../../db/client";
import { restoreMessage } from "../../db/queries/message-body";
import { appendRows, createColumnar, toCompactRow, type ColumnarRollouts, type CompactRolloutRow } from "../analysis";
import { classificationKey, classifyRollout, type ClassifyOptions, type GoldAction, type RewardConfig } from "../rewards";
import {
  classBlobOf,
  columnarFromClasses,
  appendClasses,
  CLASS_ROW_COLUMNS,
  DEFAULT_CLASS_KEY,
  type ClassRowTuple,
  readExperimentClasses,
  readRolloutClasses,
  writeRolloutClasses,
  type RolloutClassRecord,
} from "./class-store";
import type { Message } from "../types/messages";
import { isCurrentBlob } from "./class-store-blob";
import type { Rollout } from "../types/rollout";
import type { Task } from "../types/task";

/** Rows finished up to this long before the newest one seen are re-checked (clock skew between writers). */
const POLL_SLACK_MS = 10_000;
const MAX_EXPERIMENTS = Number(process.env.WRIT_CALIBRATION_CACHE_EXPERIMENTS ?? 8);
const MAX_TURNS_HELD = Number(process.env.WRIT_CALIBRATION_CACHE_TURNS ?? 30_000_000);
const MAX_CLASSIFICATIONS_PER_EXPERIMENT = 3;
const MAX_RESULTS_PER_EXPERIMENT = 64;

export interface RolloutInfo {
  groupId: string;
  taskId: string;
  sampleIndex: number;
}

/** Drill-down lookup by rollout id (built on demand from the entry's parallel arrays). */
export interface RolloutInfoLookup {
  get(id: string): RolloutInfo | undefined;
}

interface Classification {
  key: string;
  options: ClassifyOptions;
  data: ColumnarRollouts;
  lastUsed: number;
}

interface ExperimentEntry {
  experimentId: number;
  /** Rollout ids loaded, in append order (identical across classifications). */
  order: string[];
  /** Rollout id → its index in `order`. */
  seen: Map<string, number>;
  /** Per index in `order` (parallel arrays: no object per rollout). */
  groupOf: string[];
  taskOf: string[];
  sampleOf: number[];
  info: RolloutInfoLookup;
  /** Largest finished_at seen. */
  cursor: number;
  classifications: Map<string, Classification>;
  gold: Map<string, GoldAction[]> | null;
  results: Map<string, unknown>;
  lastUsed: number;
}

interface Holder {
  __writCalibrationStore?: Map<string, ExperimentEntry>;
}
const holder = globalThis as typeof globalThis & Holder;

/** Experiments are keyed by db file + id, so tests with separate temp dbs never share entries. */
function entries(): Map<string, ExperimentEntry> {
  holder.__writCalibrationStore ??= new Map();
  return holder.__writCalibrationStore;
}

function dbKey(db: Db, experimentId: number): string {
  return `${db.$client.name}#${experimentId}`;
}

export function clearCalibrationStore(): void {
  entries().clear();
}

interface SummaryRow {
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

function prepared(client: Database.Database, sql: string): Database.Statement {
  return client.prepare(sql);
}

function loadGold(db: Db, experimentId: number): Map<string, GoldAction[]> {
  const client = db.$client;
  const rows = prepared(
    client,
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

/**
 * Finished rollouts not seen yet. A count over the (experiment, status) index first: when it
 * equals what the entry holds nothing finished since (rollouts never leave done/error), so a
 * warm request costs one index count instead of a scan of the experiment's summary rows.
 */
function newSummaries(db: Db, entry: ExperimentEntry): SummaryRow[] {
  const client = db.$client;
  const finished = (prepared(client, `SELECT count(*) FROM rollouts WHERE experiment_id = ? AND status IN ('done', 'error')`).pluck().get(entry.experimentId) as number) ?? 0;
  if (finished === entry.seen.size) return [];
  const since = entry.cursor > 0 ? entry.cursor - POLL_SLACK_MS : -1;
  const base = `SELECT ${SUMMARY_COLUMNS} FROM rollouts WHERE experiment_id = ? AND status IN ('done', 'error')`;
  let rows = summaryRows(client, `${base} AND coalesce(finished_at, 0) >= ? ORDER BY coalesce(finished_at, 0), id`, entry.experimentId, since).filter((r) => !entry.seen.has(r.id));
  // Some finished rollout is older than the slack window (a writer's clock far behind): full scan.
  if (entry.seen.size + rows.length < finished) {
    rows = summaryRows(client, `${base} ORDER BY coalesce(finished_at, 0), id`, entry.experimentId).filter((r) => !entry.seen.has(r.id));
  }
  return rows;
}

/**
 * Stream the assistant/tool messages of `ids` (all finished rollouts of the experiment when
 * `all`), calling `onRollout` with each rollout's messages in order.
 */
function streamMessages(db: Db, experimentId: number, ids: readonly string[], all: boolean, onRollout: (id: string, messages: Message[]) => void): void {
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

function compactRow(summary: SummaryRow, messages: Message[], options: ClassifyOptions, gold: readonly GoldAction[] | undefined): CompactRolloutRow {
  const rollout = {
    rollout_id: summary.id,
    task_id: summary.task_id,
    group_id: summary.group_id,
    sample_index: summary.sample_index,
    outcome: summary.outcome === 1 ? 1 : 0,
    reward: 0,
    termination: "user_stop",
    messages,
  } as Rollout;
  const row = toCompactRow(classifyRollout(rollout, options, gold ?? []));
  // W / B / behaviour come from the summary row (the task's grid cell), not rollout metadata.
  row.w = summary.writes ?? -1;
  row.b = summary.evidence_cell ?? summary.evidence_total ?? -1;
  row.behavior = summary.behavior ?? "";
  return {
    ...row,
    masks: Uint8Array.from(row.masks as ArrayLike<number>),
    soft: Float64Array.from(row.soft as ArrayLike<number>),
    tokens: Int32Array.from(row.tokens as ArrayLike<number>),
  };
}

function goldOf(db: Db, entry: ExperimentEntry): Map<string, GoldAction[]> {
  entry.gold ??= loadGold(db, entry.experimentId);
  return entry.gold;
}

/**
 * Default-key class blobs of `summaries`: the stored rows (`read`: "experiment" = one scan of
 * the experiment's rows, "ids" = lookup by id, "none" = known to be missing), and for rollouts
 * without a current row a classification of their stored messages, written back so the next
 * load skips it (lazy backfill). `ofTotal`: finished rollouts of the experiment, to pick one
 * ordered pass over all its messages when most are missing (data older than the class table).
 */
function classBlobs(db: Db, entry: ExperimentEntry, summaries: readonly SummaryRow[], read: "experiment" | "ids" | "none", ofTotal = summaries.length): Map<string, Buffer> {
  const client = db.$client;
  const blobs =
    read === "experiment" ? readExperimentClasses(client, entry.experimentId) : read === "ids" ? readRolloutClasses(client, summaries.map((s) => s.id)) : new Map<string, Buffer>();
  const missing = new Map<string, SummaryRow>();
  for (const s of summaries) if (!blobs.has(s.id)) missing.set(s.id, s);
  if (!missing.size) return blobs;
  const gold = goldOf(db, entry);
  const records: RolloutClassRecord[] = [];
  const add = (s: SummaryRow, messages: Message[]) => {
    const data = classBlobOf(messages, gold.get(s.task_id) ?? []);
    records.push({ rolloutId: s.id, experimentId: entry.experimentId, classKey: DEFAULT_CLASS_KEY, nTurns: data.readUInt32LE(4), data });
    blobs.set(s.id, data);
  };
  const all = missing.size * 2 > ofTotal;
  streamMessages(db, entry.experimentId, [...missing.keys()], all, (id, messages) => {
    const s = missing.get(id);
    if (!s) return;
    add(s, messages);
    missing.delete(id);
  });
  // Finished without stored messages: zero turns, stored too so it is not looked for again.
  for (const s of missing.values()) add(s, []);
  writeRolloutClasses(client, records);
  return blobs;
}

/** Append `summaries` to every held classification: stored classes for the default key, messages otherwise. */
function appendSummaries(db: Db, entry: ExperimentEntry, summaries: readonly SummaryRow[], targets: readonly Classification[], all: boolean): void {
  if (!summaries.length || !targets.length) return;
  const defaults = targets.filter((t) => t.key === DEFAULT_CLASS_KEY);
  if (defaults.length) {
    const blobs = classBlobs(db, entry, summaries, "ids", entry.order.length + summaries.length);
    const rows = summaries.map((s) => tupleOf(s, blobs.get(s.id)));
    for (const t of defaults) appendClasses(t.data, rows);
  }
  classifyInto(
    db,
    entry,
    summaries,
    targets.filter((t) => t.key !== DEFAULT_CLASS_KEY),
    all,
  );
}

/** Classify `summaries` under each options set in one pass over their messages. */
function classifyInto(
  db: Db,
  entry: ExperimentEntry,
  summaries: readonly SummaryRow[],
  targets: readonly Classification[],
  all: boolean,
): void {
  if (!summaries.length || !targets.length) return;
  const byId = new Map(summaries.map((s) => [s.id, s]));
  const rows: CompactRolloutRow[][] = targets.map(() => []);
  const index = new Map<string, number>();
  summaries.forEach((s, i) => index.set(s.id, i));
  const slots: (CompactRolloutRow | undefined)[][] = targets.map(() => new Array(summaries.length));
  const gold = goldOf(db, entry);
  streamMessages(db, entry.experimentId, summaries.map((s) => s.id), all, (id, messages) => {
    const s = byId.get(id);
    if (!s) return; // finished after the summary read: picked up by the next poll
    const i = index.get(id)!;
    targets.forEach((t, k) => {
      slots[k][i] = compactRow(s, messages, t.options, gold.get(s.task_id));
    });
  });
  // Rollouts without stored messages still count (zero turns), in finished order.
  targets.forEach((t, k) => {
    for (let i = 0; i < summaries.length; i++) {
      rows[k].push(slots[k][i] ?? { rollout_id: summaries[i].id, group_id: summaries[i].group_id, task_id: summaries[i].task_id, outcome: summaries[i].outcome === 1 ? 1 : 0, w: summaries[i].writes ?? -1, b: summaries[i].evidence_cell ?? summaries[i].evidence_total ?? -1, behavior: summaries[i].behavior ?? "", masks: [] });
    }
    appendRows(t.data, rows[k]);
  });
}

function recordSeen(entry: ExperimentEntry, summaries: readonly SummaryRow[]): void {
  for (const s of summaries) {
    entry.seen.set(s.id, entry.order.length);
    entry.order.push(s.id);
    entry.groupOf.push(s.group_id);
    entry.taskOf.push(s.task_id);
    entry.sampleOf.push(s.sample_index);
    if ((s.finished_at ?? 0) > entry.cursor) entry.cursor = s.finished_at ?? 0;
  }
}

function turnsHeld(): number {
  let n = 0;
  for (const e of entries().values()) for (const c of e.classifications.values()) n += c.data.nTurns;
  return n;
}

function evict(keep: string): void {
  const map = entries();
  const byAge = () => [...map.entries()].filter(([k]) => k !== keep).sort((a, b) => a[1].lastUsed - b[1].lastUsed);
  while (map.size > MAX_EXPERIMENTS) {
    const oldest = byAge()[0];
    if (!oldest) break;
    map.delete(oldest[0]);
  }
  while (turnsHeld() > MAX_TURNS_HELD) {
    const oldest = byAge()[0];
    if (!oldest) break;
    map.delete(oldest[0]);
  }
}

export interface ExperimentData {
  data: ColumnarRollouts;
  /** Per rollout id: group, task, sample index (for drill-down links). */
  info: RolloutInfoLookup;
  /** Bumps when rollouts are appended (the number of rollouts loaded). */
  version: number;
  /** Whether this call loaded or appended anything. */
  changed: boolean;
  /** Result cache of this experiment (cleared when the data changes). */
  results: Map<string, unknown>;
}

function newEntry(experimentId: number, now: number): ExperimentEntry {
  const entry: ExperimentEntry = {
    experimentId,
    order: [],
    seen: new Map(),
    groupOf: [],
    taskOf: [],
    sampleOf: [],
    info: {
      get: (id) => {
        const i = entry.seen.get(id);
        return i === undefined ? undefined : { groupId: entry.groupOf[i], taskId: entry.taskOf[i], sampleIndex: entry.sampleOf[i] };
      },
    },
    cursor: 0,
    classifications: new Map(),
    gold: null,
    results: new Map(),
    lastUsed: now,
  };
  return entry;
}

/**
 * The experiment's columnar data under `config`'s classification, current as of now.
 * Throws nothing for an unknown experiment: it simply has no rollouts (callers check existence).
 */
export function getExperimentData(db: Db, experimentId: number, config: ClassifyOptions): ExperimentData {
  const key = dbKey(db, experimentId);
  const map = entries();
  let entry = map.get(key);
  const now = Date.now();
  if (!entry) {
    entry = newEntry(experimentId, now);
    map.set(key, entry);
  }
  entry.lastUsed = now;
  let changed = false;

  const classKey = classificationKey(config);
  if (entry.order.length === 0 && entry.classifications.size === 0 && classKey === DEFAULT_CLASS_KEY) {
    // Cold load of the usual classification: one joined query, no message body.
    const data = loadFromClasses(db, entry);
    entry.classifications.set(classKey, { key: classKey, options: copyOptions(config), data, lastUsed: now });
    entry.results.clear();
    evict(key);
    return { data, info: entry.info, version: entry.order.length, changed: true, results: entry.results };
  }

  // 1. New finished rollouts → every classification already held.
  const firstLoad = entry.order.length === 0;
  const fresh = newSummaries(db, entry);
  if (fresh.length) {
    appendSummaries(db, entry, fresh, [...entry.classifications.values()], firstLoad);
    recordSeen(entry, fresh);
    changed = true;
  }

  // 2. The requested classification, loaded from scratch when not held.
  let cls = entry.classifications.get(classKey);
  if (!cls) {
    cls = {
      key: classKey,
      options: copyOptions(config),
      data: createColumnar(classKey, 1024, 64),
      lastUsed: now,
    };
    if (entry.order.length) {
      // On a first load the summaries just read are exactly entry.order.
      const summaries = firstLoad ? fresh : reloadSummaries(db, entry);
      if (classKey === DEFAULT_CLASS_KEY) {
        const blobs = classBlobs(db, entry, summaries, "experiment");
        cls.data = columnarFromClasses(summaries.map((s) => tupleOf(s, blobs.get(s.id))));
      }
      else classifyInto(db, entry, summaries, [cls], true);
    }
    entry.classifications.set(classKey, cls);
    while (entry.classifications.size > MAX_CLASSIFICATIONS_PER_EXPERIMENT) {
      const oldest = [...entry.classifications.values()].filter((c) => c !== cls).sort((a, b) => a.lastUsed - b.lastUsed)[0];
      entry.classifications.delete(oldest.key);
    }
    changed = true;
  }
  cls.lastUsed = now;
  if (changed) {
    entry.results.clear();
    evict(key);
  }
  return { data: cls.data, info: entry.info, version: entry.order.length, changed, results: entry.results };
}

function copyOptions(config: ClassifyOptions): ClassifyOptions {
  return { deep_equal: { ...config.deep_equal }, gold_matching: config.gold_matching, read_tools: [...config.read_tools], write_tools: [...config.write_tools], generic_tools: [...config.generic_tools] };
}

/**
 * First load under the default key: ONE SELECT (raw arrays) of the summary columns joined
 * with the stored class blob, put in finished order (the entry's order from then on).
 * Rollouts whose blob is missing or stale are classified from their messages and written
 * back (lazy backfill) before the columnar arrays are filled.
 */
function loadFromClasses(db: Db, entry: ExperimentEntry): ColumnarRollouts {
  const rows = prepared(
    db.$client,
    `SELECT ${CLASS_ROW_COLUMNS}
     FROM rollouts r LEFT JOIN rollout_classes c ON c.rollout_id = r.id AND c.class_key = ?
     WHERE r.experiment_id = ? AND r.status IN ('done', 'error')`,
  )
    .raw(true)
    .all(DEFAULT_CLASS_KEY, entry.experimentId) as ClassRowTuple[];
  // Finished order, sorted here rather than by SQLite: its sorter would carry every blob
  // (no index on finished_at), while rows mostly arrive in it already (checked in one pass).
  const finished = (r: ClassRowTuple) => r[8] ?? 0;
  const before = (a: ClassRowTuple, b: ClassRowTuple) => finished(a) - finished(b) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  for (let i = 1; i < rows.length; i++) {
    if (before(rows[i - 1], rows[i]) > 0) {
      rows.sort(before);
      break;
    }
  }
  let missing: SummaryRow[] | null = null;
  const { seen, order, groupOf, taskOf, sampleOf } = entry;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    seen.set(r[0], order.length);
    order.push(r[0]);
    groupOf.push(r[1]);
    taskOf.push(r[2]);
    sampleOf.push(r[3]);
    if ((r[8] ?? 0) > entry.cursor) entry.cursor = r[8] ?? 0;
    if (!isCurrentBlob(r[9])) {
      r[9] = null;
      (missing ??= []).push({ id: r[0], group_id: r[1], task_id: r[2], sample_index: r[3], outcome: r[4], writes: r[5], evidence_cell: r[6], evidence_total: null, behavior: r[7], finished_at: r[8] });
    }
  }
  if (missing) {
    const rebuilt = classBlobs(db, entry, missing, "none", rows.length);
    for (const r of rows) if (!r[9]) r[9] = rebuilt.get(r[0]) ?? null;
  }
  return columnarFromClasses(rows);
}

function tupleOf(s: SummaryRow, data: Buffer | undefined): ClassRowTuple {
  return [s.id, s.group_id, s.task_id, s.sample_index, s.outcome, s.writes, s.evidence_cell ?? s.evidence_total, s.behavior, s.finished_at, data ?? null];
}

/** Summary rows of the rollouts already loaded, in the entry's append order. */
function reloadSummaries(db: Db, entry: ExperimentEntry): SummaryRow[] {
  const rows = summaryRows(db.$client, `SELECT ${SUMMARY_COLUMNS} FROM rollouts WHERE experiment_id = ? AND status IN ('done', 'error')`, entry.experimentId);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return entry.order.map((id) => byId.get(id)).filter((r): r is SummaryRow => r !== undefined);
}

/** Bounded result cache: insertion-ordered map used as an LRU. */
export function cacheGet<T>(results: Map<string, unknown>, key: string): T | undefined {
  const hit = results.get(key);
  if (hit === undefined) return undefined;
  results.delete(key);
  results.set(key, hit);
  return hit as T;
}

export function cacheSet(results: Map<string, unknown>, key: string, value: unknown): void {
  results.set(key, value);
  while (results.size > MAX_RESULTS_PER_EXPERIMENT) results.delete(results.keys().next().value as string);
}

/** Rollouts with messages, for the flip counts (most recent `limit` finished rollouts). */
export function loadRecentRollouts(db: Db, experimentId: number, limit: number): { rollouts: Rollout[]; gold: Map<string, GoldAction[]> } {
  const summaries = (
    prepared(
      db.$client,
      `SELECT id, group_id, task_id, sample_index, outcome, writes, evidence_cell, evidence_total, behavior, finished_at
       FROM rollouts WHERE experiment_id = ? AND status IN ('done', 'error') ORDER BY coalesce(finished_at, 0) DESC, id DESC LIMIT ?`,
    ).all(experimentId, limit) as SummaryRow[]
  ).reverse();
  const byId = new Map(summaries.map((s) => [s.id, s]));
  const rollouts: Rollout[] = [];
  streamMessages(db, experimentId, summaries.map((s) => s.id), false, (id, messages) => {
    const s = byId.get(id)!;
    rollouts.push({ rollout_id: s.id, task_id: s.task_id, group_id: s.group_id, sample_index: s.sample_index, outcome: s.outcome === 1 ? 1 : 0, reward: 0, termination: "user_stop", messages } as Rollout);
  });
  return { rollouts, gold: loadGold(db, experimentId) };
}

/** Stable config subset used for classification (exported for tests). */
export function classifyOptionsOf(config: RewardConfig): ClassifyOptions {
  return { deep_equal: config.deep_equal, gold_matching: config.gold_matching, read_tools: config.read_tools, write_tools: config.write_tools, generic_tools: config.generic_tools };
}
