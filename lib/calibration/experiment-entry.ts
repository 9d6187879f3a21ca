/**
 * One experiment's entry of the calibration data cache (./experiment-data.ts) and how it is
 * filled: rollouts seen (in finished order, identical across classifications) with their
 * group / task / sample, and each classification held as columnar data. Default-key data is
 * built from the stored class blobs (./store/class-rows.ts), backfilling missing ones from
 * the messages; any other key classifies the stored messages (./store/analysis-load.ts).
 */
import type { Db } from "../../db/client";
import { appendRows, toCompactRow, type ColumnarRollouts, type CompactRolloutRow } from "../analysis";
import { classifyRollout, type ClassifyOptions, type GoldAction } from "../rewards";
import type { Message } from "../types/messages";
import type { Rollout } from "../types/rollout";
import { ActionIds, appendClasses, classBlobOf, columnarFromClasses, DEFAULT_CLASS_KEY, type ClassRowTuple, type RolloutClassRecord } from "./class-store";
import { isCurrentBlob } from "./class-store-blob";
import { countFinished, readClassRows, readGold, readSummaries, readSummariesUnordered, streamMessages, type SummaryRow } from "./store/analysis-load";
import { readClassBlobs, writeBackClasses } from "./store/class-rows";

/** Rows finished up to this long before the newest one seen are re-checked (clock skew between writers). */
const POLL_SLACK_MS = 10_000;

export interface RolloutInfo {
  groupId: string;
  taskId: string;
  sampleIndex: number;
}

/** Drill-down lookup by rollout id (built on demand from the entry's parallel arrays). */
export interface RolloutInfoLookup {
  get(id: string): RolloutInfo | undefined;
}

export interface Classification {
  key: string;
  options: ClassifyOptions;
  data: ColumnarRollouts;
  /** Default key only: the action-hash table of `data` (appendClasses interns into it); null until first needed. */
  actions: ActionIds | null;
  lastUsed: number;
}

export interface ExperimentEntry {
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
}

/**
 * Finished rollouts not seen yet. A count over the (experiment, status) index first: when it
 * equals what the entry holds nothing finished since (rollouts never leave done/error), so a
 * warm request costs one index count instead of a scan of the experiment's summary rows.
 */
export function newSummaries(db: Db, entry: ExperimentEntry): SummaryRow[] {
  const finished = countFinished(db, entry.experimentId);
  if (finished === entry.seen.size) return [];
  const since = entry.cursor > 0 ? entry.cursor - POLL_SLACK_MS : -1;
  let rows = readSummaries(db, entry.experimentId, since).filter((r) => !entry.seen.has(r.id));
  // Some finished rollout is older than the slack window (a writer's clock far behind): full scan.
  if (entry.seen.size + rows.length < finished) {
    rows = readSummaries(db, entry.experimentId).filter((r) => !entry.seen.has(r.id));
  }
  return rows;
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
  entry.gold ??= readGold(db, entry.experimentId);
  return entry.gold;
}

/**
 * Default-key class blobs of `summaries`: the stored rows (`read`: "experiment" = one scan of
 * the experiment's rows, "ids" = lookup by id, "none" = known to be missing), and for rollouts
 * without a current row a classification of their stored messages, written back so the next
 * load skips it (lazy backfill). `ofTotal`: finished rollouts of the experiment, to pick one
 * ordered pass over all its messages when most are missing (data older than the class table).
 */
export function classBlobs(db: Db, entry: ExperimentEntry, summaries: readonly SummaryRow[], read: "experiment" | "ids" | "none", ofTotal = summaries.length): Map<string, Buffer> {
  const blobs =
    read === "experiment" ? readClassBlobs(db, entry.experimentId, null) : read === "ids" ? readClassBlobs(db, entry.experimentId, summaries.map((s) => s.id)) : new Map<string, Buffer>();
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
  writeBackClasses(db, records);
  return blobs;
}

/** Append `summaries` to every held classification: stored classes for the default key, messages otherwise. */
export function appendSummaries(db: Db, entry: ExperimentEntry, summaries: readonly SummaryRow[], targets: readonly Classification[], all: boolean): void {
  if (!summaries.length || !targets.length) return;
  const defaults = targets.filter((t) => t.key === DEFAULT_CLASS_KEY);
  if (defaults.length) {
    const blobs = classBlobs(db, entry, summaries, "ids", entry.order.length + summaries.length);
    const rows = summaries.map((s) => tupleOf(s, blobs.get(s.id)));
    for (const t of defaults) appendClasses(t.data, rows, (t.actions ??= new ActionIds(t.data)));
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
export function classifyInto(
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

export function recordSeen(entry: ExperimentEntry, summaries: readonly SummaryRow[]): void {
  for (const s of summaries) {
    entry.seen.set(s.id, entry.order.length);
    entry.order.push(s.id);
    entry.groupOf.push(s.group_id);
    entry.taskOf.push(s.task_id);
    entry.sampleOf.push(s.sample_index);
    if ((s.finished_at ?? 0) > entry.cursor) entry.cursor = s.finished_at ?? 0;
  }
}

export function newEntry(experimentId: number): ExperimentEntry {
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
  };
  return entry;
}

/**
 * First load under the default key: ONE SELECT (raw arrays) of the summary columns joined
 * with the stored class blob, put in finished order (the entry's order from then on).
 * Rollouts whose blob is missing or stale are classified from their messages and written
 * back (lazy backfill) before the columnar arrays are filled.
 */
export function loadFromClasses(db: Db, entry: ExperimentEntry): { data: ColumnarRollouts; actions: ActionIds } {
  const rows = readClassRows(db, entry.experimentId);
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

export function tupleOf(s: SummaryRow, data: Buffer | undefined): ClassRowTuple {
  return [s.id, s.group_id, s.task_id, s.sample_index, s.outcome, s.writes, s.evidence_cell ?? s.evidence_total, s.behavior, s.finished_at, data ?? null];
}

/** Summary rows of the rollouts already loaded, in the entry's append order. */
export function reloadSummaries(db: Db, entry: ExperimentEntry): SummaryRow[] {
  const rows = readSummariesUnordered(db, entry.experimentId);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return entry.order.map((id) => byId.get(id)).filter((r): r is SummaryRow => r !== undefined);
}

