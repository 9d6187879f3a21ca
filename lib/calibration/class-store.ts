/**
 * Persisted per-rollout classifications (rollout_classes) for the DEFAULT classification key,
 * and the fast columnar loader built on them.
 *
 * - Written once, in the transaction that finalises a rollout (rollouts.run job, imports),
 *   from the conversation already in memory: classifyRollout under the default deep-equal
 *   toggles, gold matching and tool lists, against the task's gold actions.
 * - Read by the calibration data load (./experiment-data.ts): summary rows (outcome, group,
 *   W, B, behaviour) + one streamed scan of the experiment's blobs, copied into preallocated
 *   columnar arrays.
 * - A rollout without a current row (older data, an errored rollout, another key) is
 *   classified from its stored messages by the caller and written back (lazy backfill).
 * - The table's reads and writes: ./store/class-rows.ts.
 */
import { appendRows, createColumnar, type ColumnarRollouts } from "../analysis";
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
import { actionKeyOfHash, encodeClassBlob, MESSAGE_ACTION, MESSAGE_HASH } from "./class-store-blob";

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
  // Classification reads the messages only; classifyRollout does not modify them.
  const rollout: Rollout = { rollout_id: "", task_id: "", group_id: "", sample_index: 0, outcome: 0, reward: 0, termination: "user_stop", messages: messages as Message[] };
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

/**
 * One row of the bulk loader's query (CLASS_ROW_COLUMNS in ./store/class-rows.ts), kept as the array better-sqlite3's
 * .raw() returns: no object per rollout.
 */
export type ClassRowTuple = [
  id: string,
  groupId: string,
  taskId: string,
  sampleIndex: number,
  outcome: number | null,
  writes: number | null,
  /** B: evidence_cell, else evidence_total. */
  evidence: number | null,
  behavior: string | null,
  finishedAt: number | null,
  data: Buffer | null,
];

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
 * Open-addressing map from an action hash (as its two u32 halves, so no double is boxed per
 * lookup) to the columnar's action id. ~1M lookups per 80k-rollout load.
 */
/**
 * The first probe slot of an action hash in a table of `mask + 1` slots. The high half is
 * folded down instead of shifted away: `>>> 15` left only 17 bits, so past 2^17 slots (about
 * 65k distinct actions) every key probed the bottom of the table and loads went quadratic.
 */
export function actionHashSlot(lo: number, hi: number, mask: number): number {
  const x = Math.imul(lo ^ Math.imul(hi, 0x27d4eb2d), 0x9e3779b1);
  return (x ^ (x >>> 15)) & mask;
}

/** The hash table of one default-key columnar (held beside it: live appends keep interning into it). */
export class ActionIds {
  /** Slots of [lo, hi, id + 1] (0 = empty): one cache line per probe. */
  private table: Int32Array;
  private mask: number;
  private size = 0;
  constructor(private readonly data: ColumnarRollouts, capacity = 1 << 17) {
    this.table = new Int32Array(capacity * 3);
    this.mask = capacity - 1;
    // The columnar's existing dictionary ("message" = 0, or keys of earlier appends).
    data.actionKeys.forEach((key, id) => {
      const h = key === MESSAGE_ACTION ? MESSAGE_HASH : key.startsWith("#") ? Number(key.slice(1)) : NaN;
      if (Number.isSafeInteger(h)) this.insert(h % 4294967296 | 0, Math.floor(h / 4294967296) | 0, id);
    });
  }

  private slot(lo: number, hi: number): number {
    const table = this.table;
    const mask = this.mask;
    let i = actionHashSlot(lo, hi, mask);
    for (;;) {
      const at = i * 3;
      if (table[at + 2] === 0 || (table[at] === lo && table[at + 1] === hi)) return at;
      i = (i + 1) & mask;
    }
  }

  private insert(lo: number, hi: number, id: number): void {
    if ((this.size + 1) * 2 > this.mask + 1) this.grow();
    const at = this.slot(lo, hi);
    if (this.table[at + 2] === 0) this.size++;
    this.table[at] = lo;
    this.table[at + 1] = hi;
    this.table[at + 2] = id + 1;
  }

  private grow(): void {
    const old = this.table;
    const capacity = (this.mask + 1) * 2;
    this.table = new Int32Array(capacity * 3);
    this.mask = capacity - 1;
    this.size = 0;
    for (let at = 0; at < old.length; at += 3) if (old[at + 2] !== 0) this.insert(old[at], old[at + 1], old[at + 2] - 1);
  }

  /** Id of the hash (lo, hi), interned into the columnar's dictionary when new. */
  idOf(lo: number, hi: number): number {
    const at = this.slot(lo, hi);
    const stored = this.table[at + 2];
    if (stored !== 0) return stored - 1;
    const id = this.data.actionKeys.length;
    // Display key only: lookups go through this table, not data.actionIndex (a 100k-entry
    // string Map would cost more than the rest of the dictionary work).
    this.data.actionKeys.push(actionKeyOfHash((hi >>> 0) * 4294967296 + (lo >>> 0)));
    this.insert(lo, hi, id);
    return id;
  }
}

/**
 * Grows to exactly what is needed when that is more than doubling — unlike columnar's
 * power-of-two growth for appends. The cold load reserves 2.4M turns in one go, and
 * rounding that up to 2^22 cost ≈0.6 s of the 3 s cold budget (bench/calibration.ts).
 */
function grown<T extends Int32Array | Uint8Array | Float64Array>(arr: T, needed: number): T {
  if (arr.length >= needed) return arr;
  const next = new (arr.constructor as { new (n: number): T })(Math.max(needed, arr.length * 2));
  next.set(arr);
  return next;
}

/** Room for `rollouts` more rollouts and `turns` more turns (same growth rule as columnar's appends). */
function reserve(data: ColumnarRollouts, rollouts: number, turns: number): void {
  const r = data.nRollouts + rollouts;
  const t = data.nTurns + turns;
  data.turnRollout = grown(data.turnRollout, t);
  data.turnPos = grown(data.turnPos, t);
  data.turnMask = grown(data.turnMask, t);
  data.turnSoft = grown(data.turnSoft, t);
  data.turnTokens = grown(data.turnTokens, t);
  data.turnAction = grown(data.turnAction, t);
  data.outcome = grown(data.outcome, r);
  data.rolloutGroup = grown(data.rolloutGroup, r);
  data.turnOffsets = grown(data.turnOffsets, r + 1);
  data.rolloutW = grown(data.rolloutW, r);
  data.rolloutB = grown(data.rolloutB, r);
  data.rolloutBehavior = grown(data.rolloutBehavior, r);
}

/** A default-key columnar built from class rows (the cold load): arrays sized exactly once; with its action table. */
export function columnarFromClasses(rows: readonly ClassRowTuple[]): { data: ColumnarRollouts; actions: ActionIds } {
  let nTurns = 0;
  for (let i = 0; i < rows.length; i++) {
    const b = rows[i][9];
    if (b) nTurns += b.readUInt32LE(4);
  }
  const data = createColumnar(DEFAULT_CLASS_KEY, Math.max(16, nTurns), Math.max(16, rows.length));
  const actions = new ActionIds(data);
  appendClasses(data, rows, actions);
  return { data, actions };
}

/**
 * Append one ClassRowTuple per rollout, in order (a row without a current blob counts with
 * zero turns). The blobs are first copied (one memcpy each) into one arena at 8-byte aligned
 * offsets, so every section is read through a handful of typed-array views of the arena: no
 * allocation per rollout or turn. Canonical actions are interned by hash (`actions`, the
 * data's own table, held beside it), so default-key data must only grow through here.
 */
export function appendClasses(data: ColumnarRollouts, rows: readonly ClassRowTuple[], actions: ActionIds): ColumnarRollouts {
  let nTurns = 0;
  let bytes = 0;
  for (let i = 0; i < rows.length; i++) {
    const b = rows[i][9];
    if (!b) continue;
    nTurns += b.readUInt32LE(4);
    bytes += (b.byteLength + 7) & ~7;
  }
  reserve(data, rows.length, nTurns);
  const arena = new ArrayBuffer(Math.max(8, bytes));
  const u8 = new Uint8Array(arena);
  const u16 = new Uint16Array(arena, 0, arena.byteLength >> 1);
  const i32 = new Int32Array(arena, 0, arena.byteLength >> 2);
  const u32 = new Uint32Array(arena, 0, arena.byteLength >> 2);
  const f64 = new Float64Array(arena, 0, arena.byteLength >> 3);
  const starts = new Float64Array(rows.length).fill(-1);
  for (let i = 0, at = 0; i < rows.length; i++) {
    const b = rows[i][9];
    if (!b) continue;
    u8.set(b, at);
    starts[i] = at;
    at += (b.byteLength + 7) & ~7;
  }
  const { turnRollout, turnPos, turnMask, turnSoft, turnTokens, turnAction, outcome, rolloutGroup, turnOffsets, rolloutW, rolloutB, rolloutBehavior } = data;
  let local = new Int32Array(256);
  let lastGroup = "";
  let lastGroupId = -1;
  let t = data.nTurns;
  const base = data.nRollouts;
  for (let j = 0; j < rows.length; j++) {
    const r = rows[j];
    const i = base + j;
    outcome[i] = r[4] === 1 ? 1 : 0;
    // Rollouts of a group mostly arrive together: skip the Map for a repeat.
    if (r[1] !== lastGroup) {
      lastGroup = r[1];
      lastGroupId = internString(data.groupIndex, data.groupIds, lastGroup);
    }
    rolloutGroup[i] = lastGroupId;
    rolloutW[i] = r[5] ?? -1;
    rolloutB[i] = r[6] ?? -1;
    rolloutBehavior[i] = internString(data.behaviorIndex, data.behaviorNames, r[7] ?? "");
    data.rolloutIds.push(r[0]);
    data.taskIds.push(r[2]);
    turnOffsets[i] = t;
    const at = starts[j];
    if (at >= 0) {
      // Header and sections: see class-store-blob.ts (blobs were validated when read).
      const w = at >> 2;
      const n = u32[w + 1];
      const nA = u32[w + 2];
      const nS = u32[w + 3];
      const hashAt = at + 16;
      const softValueAt = hashAt + 8 * nA;
      const tokensAt = softValueAt + 8 * nS;
      const softTurnAt = tokensAt + 4 * n;
      const actionAt = softTurnAt + 4 * nS;
      const wide = nA > 0xffff;
      const maskAt = actionAt + (wide ? 4 : 2) * n;
      if (nA > local.length) local = new Int32Array(nA * 2);
      for (let a = 0, h = hashAt >> 2; a < nA; a++, h += 2) local[a] = actions.idOf(i32[h], i32[h + 1]);
      if (wide) {
        for (let p = 0, q = actionAt >> 2; p < n; p++) turnAction[t + p] = local[u32[q + p]];
      } else {
        for (let p = 0, q = actionAt >> 1; p < n; p++) turnAction[t + p] = local[u16[q + p]];
      }
      for (let p = 0, q = tokensAt >> 2; p < n; p++) {
        turnTokens[t + p] = i32[q + p];
        turnMask[t + p] = u8[maskAt + p];
        turnPos[t + p] = p;
        turnRollout[t + p] = i;
      }
      for (let k = 0, q = softTurnAt >> 2, v = softValueAt >> 3; k < nS; k++) turnSoft[t + u32[q + k]] = f64[v + k];
      t += n;
    }
    turnOffsets[i + 1] = t;
  }
  data.nRollouts = base + rows.length;
  data.nTurns = t;
  data.nGroups = data.groupIds.length;
  // An empty append rebuilds the group index and bumps the version (columnar's own bookkeeping).
  return appendRows(data, []);
}
