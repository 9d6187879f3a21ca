/**
 * Columnar, typed-array form of classified rollouts: what every analysis loop reads.
 * Built once (classification is the only expensive per-call work), appended to as rollouts
 * arrive, never rebuilt for a change of tier values, precedence or estimator.
 *
 * Per-turn and per-rollout arrays have spare capacity: read only [0, nTurns) / [0, nRollouts).
 * Turns of a rollout are contiguous (turnOffsets); groups are a CSR index over rollout indices
 * (groupRolloutOffsets / groupRollouts), rebuilt on append because a group's rollouts may arrive
 * interleaved with other groups'.
 */
import {
  classificationKey,
  classifyRollout,
  type ClassifiedRollout,
  type GoldAction,
  type RewardConfig,
} from "../rewards";
import type { Rollout } from "../types/rollout";

export interface ColumnarRollouts {
  /** classificationKey() of the options the turns were classified under. */
  classKey: string;
  /** Bumped by every append; caches keyed on (data, version) stay valid until then. */
  version: number;
  nRollouts: number;
  nTurns: number;
  nGroups: number;
  // per turn
  turnRollout: Int32Array;
  turnPos: Int32Array;
  /** Class bitmask of the turn (union of its calls' classes). */
  turnMask: Uint8Array;
  /** Soft fraction matched/total of the turn's best soft call, else 0. */
  turnSoft: Float64Array;
  /** Completion tokens, -1 when unknown. */
  turnTokens: Int32Array;
  /** Id of the turn's canonical action in actionKeys. */
  turnAction: Int32Array;
  // per rollout
  outcome: Uint8Array;
  rolloutGroup: Int32Array;
  /** length nRollouts + 1 (valid prefix). */
  turnOffsets: Int32Array;
  rolloutW: Int32Array;
  rolloutB: Int32Array;
  /** Index into behaviorNames; 0 is "" (unknown). */
  rolloutBehavior: Int32Array;
  rolloutIds: string[];
  taskIds: string[];
  // per group
  groupIds: string[];
  /** length nGroups + 1. */
  groupRolloutOffsets: Int32Array;
  /** Rollout indices ordered by group, then arrival. */
  groupRollouts: Int32Array;
  // dictionaries
  behaviorNames: string[];
  actionKeys: string[];
  /** Internal lookups for append. */
  groupIndex: Map<string, number>;
  behaviorIndex: Map<string, number>;
  actionIndex: Map<string, number>;
}

/**
 * The compact rows a database loader can hand over: one per rollout with its classified turns
 * as parallel arrays (what `classifyRollout` produces, minus per-call detail).
 */
export interface CompactRolloutRow {
  rollout_id: string;
  group_id: string;
  task_id?: string;
  outcome: number;
  w?: number | null;
  b?: number | null;
  behavior?: string | null;
  /** Per turn, in order. */
  masks: ArrayLike<number>;
  soft?: ArrayLike<number>;
  tokens?: ArrayLike<number>;
  actions?: ArrayLike<string>;
}

export function createColumnar(classKey: string, turnCapacity = 1024, rolloutCapacity = 64): ColumnarRollouts {
  return {
    classKey,
    version: 0,
    nRollouts: 0,
    nTurns: 0,
    nGroups: 0,
    turnRollout: new Int32Array(turnCapacity),
    turnPos: new Int32Array(turnCapacity),
    turnMask: new Uint8Array(turnCapacity),
    turnSoft: new Float64Array(turnCapacity),
    turnTokens: new Int32Array(turnCapacity),
    turnAction: new Int32Array(turnCapacity),
    outcome: new Uint8Array(rolloutCapacity),
    rolloutGroup: new Int32Array(rolloutCapacity),
    turnOffsets: new Int32Array(rolloutCapacity + 1),
    rolloutW: new Int32Array(rolloutCapacity),
    rolloutB: new Int32Array(rolloutCapacity),
    rolloutBehavior: new Int32Array(rolloutCapacity),
    rolloutIds: [],
    taskIds: [],
    groupIds: [],
    groupRolloutOffsets: new Int32Array(1),
    groupRollouts: new Int32Array(0),
    behaviorNames: [""],
    actionKeys: ["message"],
    groupIndex: new Map(),
    behaviorIndex: new Map([["", 0]]),
    actionIndex: new Map([["message", 0]]),
  };
}

function grow<T extends Int32Array | Uint8Array | Float64Array>(arr: T, needed: number): T {
  if (arr.length >= needed) return arr;
  let cap = Math.max(arr.length, 16);
  while (cap < needed) cap *= 2;
  const next = new (arr.constructor as { new (n: number): T })(cap);
  next.set(arr);
  return next;
}

function ensureCapacity(data: ColumnarRollouts, rollouts: number, turns: number): void {
  const r = data.nRollouts + rollouts;
  const t = data.nTurns + turns;
  data.turnRollout = grow(data.turnRollout, t);
  data.turnPos = grow(data.turnPos, t);
  data.turnMask = grow(data.turnMask, t);
  data.turnSoft = grow(data.turnSoft, t);
  data.turnTokens = grow(data.turnTokens, t);
  data.turnAction = grow(data.turnAction, t);
  data.outcome = grow(data.outcome, r);
  data.rolloutGroup = grow(data.rolloutGroup, r);
  data.turnOffsets = grow(data.turnOffsets, r + 1);
  data.rolloutW = grow(data.rolloutW, r);
  data.rolloutB = grow(data.rolloutB, r);
  data.rolloutBehavior = grow(data.rolloutBehavior, r);
}

function intern(map: Map<string, number>, list: string[], key: string): number {
  let id = map.get(key);
  if (id === undefined) {
    id = list.length;
    list.push(key);
    map.set(key, id);
  }
  return id;
}

/** Rebuild the group CSR index (O(rollouts), counting sort by group keeps arrival order). */
function rebuildGroups(data: ColumnarRollouts): void {
  const nG = data.nGroups;
  const offsets = new Int32Array(nG + 1);
  for (let i = 0; i < data.nRollouts; i++) offsets[data.rolloutGroup[i] + 1]++;
  for (let g = 0; g < nG; g++) offsets[g + 1] += offsets[g];
  const fill = offsets.slice(0, nG);
  const members = new Int32Array(data.nRollouts);
  for (let i = 0; i < data.nRollouts; i++) members[fill[data.rolloutGroup[i]]++] = i;
  data.groupRolloutOffsets = offsets;
  data.groupRollouts = members;
}

/** Append compact rows (the db-loader path). */
export function appendRows(data: ColumnarRollouts, rows: readonly CompactRolloutRow[]): ColumnarRollouts {
  let turnCount = 0;
  for (const row of rows) turnCount += row.masks.length;
  ensureCapacity(data, rows.length, turnCount);
  for (const row of rows) {
    const i = data.nRollouts;
    const g = data.groupIndex.get(row.group_id) ?? intern(data.groupIndex, data.groupIds, row.group_id);
    data.nGroups = data.groupIds.length;
    data.outcome[i] = row.outcome === 1 ? 1 : 0;
    data.rolloutGroup[i] = g;
    data.rolloutW[i] = row.w ?? -1;
    data.rolloutB[i] = row.b ?? -1;
    data.rolloutBehavior[i] = intern(data.behaviorIndex, data.behaviorNames, row.behavior ?? "");
    data.rolloutIds.push(row.rollout_id);
    data.taskIds.push(row.task_id ?? "");
    let t = data.nTurns;
    data.turnOffsets[i] = t;
    const k = row.masks.length;
    for (let p = 0; p < k; p++, t++) {
      data.turnRollout[t] = i;
      data.turnPos[t] = p;
      data.turnMask[t] = row.masks[p];
      data.turnSoft[t] = row.soft ? row.soft[p] : 0;
      data.turnTokens[t] = row.tokens ? row.tokens[p] : -1;
      data.turnAction[t] = row.actions ? intern(data.actionIndex, data.actionKeys, row.actions[p]) : 0;
    }
    data.nTurns = t;
    data.nRollouts = i + 1;
    data.turnOffsets[i + 1] = t;
  }
  rebuildGroups(data);
  data.version++;
  return data;
}

export function toCompactRow(c: ClassifiedRollout): CompactRolloutRow {
  return {
    rollout_id: c.rollout_id,
    group_id: c.group_id,
    task_id: c.task_id,
    outcome: c.outcome,
    w: c.w,
    b: c.b,
    behavior: c.behavior,
    masks: c.turns.map((t) => t.mask),
    soft: c.turns.map((t) => t.soft),
    tokens: c.turns.map((t) => t.tokens),
    actions: c.turns.map((t) => t.action),
  };
}

export function appendClassified(data: ColumnarRollouts, classified: readonly ClassifiedRollout[]): ColumnarRollouts {
  for (const c of classified) {
    if (c.class_key !== data.classKey) {
      throw new Error(`rollout ${c.rollout_id} was classified under different options than this data set`);
    }
  }
  return appendRows(data, classified.map(toCompactRow));
}

export type GoldLookup = (rollout: Rollout) => readonly GoldAction[] | undefined;

/** Classify and append rollouts as they arrive (the live-experiment path). */
export function appendRollouts(
  data: ColumnarRollouts,
  rollouts: readonly Rollout[],
  config: RewardConfig,
  goldFor?: GoldLookup,
): ColumnarRollouts {
  if (classificationKey(config) !== data.classKey) {
    throw new Error("config classifies differently from this data set (deep_equal, gold_matching or tool lists changed): rebuild it");
  }
  return appendClassified(
    data,
    rollouts.map((r) => classifyRollout(r, config, goldFor?.(r))),
  );
}

export function buildColumnar(rollouts: readonly Rollout[], config: RewardConfig, goldFor?: GoldLookup): ColumnarRollouts {
  let turns = 0;
  for (const r of rollouts) turns += r.messages.length;
  const data = createColumnar(classificationKey(config), Math.max(16, turns), Math.max(16, rollouts.length));
  return appendRollouts(data, rollouts, config, goldFor);
}

/** From compact rows, e.g. read from SQLite. `classKey` documents which options produced the masks. */
export function columnarFromRows(rows: readonly CompactRolloutRow[], classKey: string): ColumnarRollouts {
  let turns = 0;
  for (const r of rows) turns += r.masks.length;
  const data = createColumnar(classKey, Math.max(16, turns), Math.max(16, rows.length));
  return appendRows(data, rows);
}
