/**
 * Persisted per-rollout classifications (rollout_classes) for the DEFAULT classification key,
 * and the fast columnar loader built on them.
 *
 * - Written once, in the transaction that finalises a rollout (rollouts.run job, imports),
 *   from the conversation already in memory: classifyRollout under the default deep-equal
 *   toggles, gold matching and tool lists, against the task's gold actions.
 * - Read by the calibration store: summary rows (outcome, group, W, B, behaviour) + one
 *   streamed scan of the experiment's blobs, copied into preallocated columnar arrays.
 * - A rollout without a current row (older data, an errored rollout, another key) is
 *   classified from its stored messages by the caller and written back here (lazy backfill).
 */
import type Database from "better-sqlite3";
import {
  appendRows,
  createColumnar,
  type ColumnarRollouts,
  type CompactRolloutRow,
} from "../analysis";
import {
  classificationKey,
  classifyRollout,
  DEFAULT_REWARD_CONFIG,
  type ClassifyOptions,
  type GoldAction,
} from "../rewards";
import type { Message } from "../types/messages";
import type { Rollout } from "../types/rollout";
import type { Task } from "../types/task";
import { actionKeyOfHash, blobLayout, decodeClassBlob, encodeClassBlob, MESSAGE_HASH } from "./class-store-blob";

export const DEFAULT_CLASS_OPTIONS: ClassifyOptions = {
  deep_equal: { ...DEFAULT_REWARD_CONFIG.deep_equal },
  gold_matching: DEFAULT_REWARD_CONFIG.gold_matching,
  read_tools: [...DEFAULT_REWARD_CONFIG.read_tools],
  write_tools: [...DEFAULT_REWARD_CONFIG.write_tools],
  generic_tools: [...DEFAULT_REWARD_CONFIG.generic_tools],
};
export const DEFAULT_CLASS_KEY = classificationKey(DEFAULT_CLASS_OPTIONS);

/** The gold actions a task's rollouts are classified against (what the store uses). */
export function goldOfTask(task: Pick<Task, "evaluation_criteria"> | undefined): GoldAction[] {
  const actions = task?.evaluation_criteria?.actions ?? [];
  return actions.map((a) => ({ name: a.name, arguments: a.arguments as Record<string, unknown> }));
}

/** Classify a conversation under `options` into the blob form (messages may include or omit user turns). */
export function classBlobOf(messages: readonly Message[], gold: readonly GoldAction[], options: ClassifyOptions = DEFAULT_CLASS_OPTIONS): Buffer {
  const rollout = { rollout_id: "", task_id: "", group_id: "", sample_index: 0, outcome: 0, reward: 0, termination: "user_stop", messages } as unknown as Rollout;
  const c = classifyRollout(rollout, options, gold);
  return encodeClassBlob({
    masks: c.turns.map((t) => t.mask),
    soft: c.turns.map((t) => t.soft),
    tokens: c.turns.map((t) => t.tokens),
    actions: c.turns.map((t) => t.action),
  });
}

export interface RolloutClassRecord {
  rolloutId: string;
  experimentId: number;
  classKey: string;
  nTurns: number;
  data: Buffer;
}

/** The default-key class row of a finished rollout, for the finalising transaction. */
export function rolloutClassRecord(rolloutId: string, experimentId: number, messages: readonly Message[], gold: readonly GoldAction[]): RolloutClassRecord {
  const data = classBlobOf(messages, gold);
  return { rolloutId, experimentId, classKey: DEFAULT_CLASS_KEY, nTurns: data.readUInt32LE(4), data };
}

const upserts = new WeakMap<Database.Database, Database.Statement>();

/** Upsert one class row (runs inside the caller's transaction when there is one). */
export function writeRolloutClass(client: Database.Database, r: RolloutClassRecord): void {
  let st = upserts.get(client);
  if (!st) {
    st = client.prepare(
      `INSERT INTO rollout_classes (rollout_id, experiment_id, class_key, n_turns, data) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(rollout_id) DO UPDATE SET experiment_id = excluded.experiment_id, class_key = excluded.class_key,
         n_turns = excluded.n_turns, data = excluded.data`,
    );
    upserts.set(client, st);
  }
  st.run(r.rolloutId, r.experimentId, r.classKey, r.nTurns, r.data);
}

/** Write back lazily built rows in one transaction; a failure (busy, read-only) only loses the cache. */
export function writeRolloutClasses(client: Database.Database, rows: readonly RolloutClassRecord[]): boolean {
  if (!rows.length) return true;
  try {
    client.transaction(() => {
      for (const r of rows) writeRolloutClass(client, r);
    })();
    return true;
  } catch {
    return false;
  }
}

/**
 * Current default-key blobs of an experiment, keyed by rollout id (one streamed index scan).
 * Blobs of another version or malformed ones are left out (the caller rebuilds them).
 */
export function readExperimentClasses(client: Database.Database, experimentId: number): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const it = client
    .prepare(`SELECT rollout_id, data FROM rollout_classes WHERE experiment_id = ? AND class_key = ?`)
    .raw(true)
    .iterate(experimentId, DEFAULT_CLASS_KEY) as IterableIterator<[string, Buffer]>;
  for (const [id, data] of it) if (blobLayout(data)) out.set(id, data);
  return out;
}

/** Current default-key blobs of some rollouts (live appends: a few rows at a time). */
export function readRolloutClasses(client: Database.Database, ids: readonly string[]): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const CHUNK = 400;
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    const rows = client
      .prepare(`SELECT rollout_id, data FROM rollout_classes WHERE rollout_id IN (${part.map(() => "?").join(",")}) AND class_key = ?`)
      .raw(true)
      .all(...part, DEFAULT_CLASS_KEY) as [string, Buffer][];
    for (const [id, data] of rows) if (blobLayout(data)) out.set(id, data);
  }
  return out;
}

/** What the loader needs of a summary row (W / B / behaviour come from the task's grid cell). */
export interface ClassSummary {
  id: string;
  group_id: string;
  task_id: string;
  outcome: number | null;
  writes: number | null;
  evidence_cell: number | null;
  evidence_total: number | null;
  behavior: string | null;
}

/** A compact row for appendRows (live appends): actions become their hash keys. */
export function compactRowOf(s: ClassSummary, blob: Buffer | undefined): CompactRolloutRow {
  const v = decodeClassBlob(blob);
  const row: CompactRolloutRow = {
    rollout_id: s.id,
    group_id: s.group_id,
    task_id: s.task_id,
    outcome: s.outcome === 1 ? 1 : 0,
    w: s.writes ?? -1,
    b: s.evidence_cell ?? s.evidence_total ?? -1,
    behavior: s.behavior ?? "",
    masks: [],
  };
  if (!v) return row;
  const keys = Array.from(v.actionHash, actionKeyOfHash);
  return { ...row, masks: v.mask, soft: v.soft, tokens: v.tokens, actions: Array.from(v.action, (a) => keys[a]) };
}

function internString(map: Map<string, number>, list: string[], key: string): number {
  let id = map.get(key);
  if (id === undefined) {
    id = list.length;
    list.push(key);
    map.set(key, id);
  }
  return id;
}

/**
 * Bulk build: every summary in order, turns read from its blob with Buffer accessors straight
 * into arrays allocated once from the blobs' turn counts (a rollout without a blob counts with
 * zero turns). Per rollout nothing is allocated but its distinct actions' first sightings.
 */
export function columnarFromClasses(summaries: readonly ClassSummary[], blobs: ReadonlyMap<string, Buffer>): ColumnarRollouts {
  let nTurns = 0;
  for (const s of summaries) {
    const b = blobs.get(s.id);
    if (b) nTurns += b.readUInt32LE(4);
  }
  const data = createColumnar(DEFAULT_CLASS_KEY, Math.max(16, nTurns), Math.max(16, summaries.length));
  const { turnRollout, turnPos, turnMask, turnSoft, turnTokens, turnAction, outcome, rolloutGroup, turnOffsets, rolloutW, rolloutB, rolloutBehavior } = data;
  const hashIds = new Map<number, number>([[MESSAGE_HASH, 0]]);
  let local = new Int32Array(256);
  let lastGroup = "";
  let lastGroupId = -1;
  let t = 0;
  for (let i = 0; i < summaries.length; i++) {
    const s = summaries[i];
    outcome[i] = s.outcome === 1 ? 1 : 0;
    // Rollouts of a group mostly arrive together: skip the Map for a repeat.
    if (s.group_id !== lastGroup) {
      lastGroup = s.group_id;
      lastGroupId = internString(data.groupIndex, data.groupIds, s.group_id);
    }
    rolloutGroup[i] = lastGroupId;
    rolloutW[i] = s.writes ?? -1;
    rolloutB[i] = s.evidence_cell ?? s.evidence_total ?? -1;
    rolloutBehavior[i] = internString(data.behaviorIndex, data.behaviorNames, s.behavior ?? "");
    data.rolloutIds.push(s.id);
    data.taskIds.push(s.task_id);
    turnOffsets[i] = t;
    const b = blobs.get(s.id);
    const l = b ? blobLayout(b) : null;
    if (b && l && l.nTurns > 0) {
      const n = l.nTurns;
      if (l.nActions > local.length) local = new Int32Array(l.nActions * 2);
      for (let a = 0; a < l.nActions; a++) {
        const h = b.readDoubleLE(l.hash + 8 * a);
        let id = hashIds.get(h);
        if (id === undefined) {
          id = data.actionKeys.length;
          const key = actionKeyOfHash(h);
          data.actionKeys.push(key);
          data.actionIndex.set(key, id);
          hashIds.set(h, id);
        }
        local[a] = id;
      }
      const tok = l.tokens;
      const mask = l.mask;
      if (l.wide) {
        for (let p = 0; p < n; p++) turnAction[t + p] = local[b.readUInt32LE(l.action + 4 * p)];
      } else {
        const act = l.action;
        for (let p = 0; p < n; p++) turnAction[t + p] = local[b[act + 2 * p] | (b[act + 2 * p + 1] << 8)];
      }
      for (let p = 0; p < n; p++) {
        const q = tok + 4 * p;
        turnTokens[t + p] = b[q] | (b[q + 1] << 8) | (b[q + 2] << 16) | (b[q + 3] << 24);
        turnMask[t + p] = b[mask + p];
        turnPos[t + p] = p;
        turnRollout[t + p] = i;
      }
      for (let k = 0; k < l.nSoft; k++) turnSoft[t + b.readUInt32LE(l.softTurn + 4 * k)] = b.readDoubleLE(l.softValue + 8 * k);
      t += n;
    }
    turnOffsets[i + 1] = t;
  }
  data.nRollouts = summaries.length;
  data.nTurns = t;
  data.nGroups = data.groupIds.length;
  // An empty append rebuilds the group index and bumps the version (columnar's own invariant keeper).
  return appendRows(data, []);
}
