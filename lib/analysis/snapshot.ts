/**
 * A compact, structured-clone-friendly copy of the numeric part of ColumnarRollouts: what the
 * estimators, the workspace (tiering, cancellation buckets) and slices read. Identifiers
 * (rollout, task and group ids) and the append lookups are left out, so a second thread can
 * hold its own copy for a few megabytes and compute estimator summaries on it.
 */
import type { ColumnarRollouts } from "./columnar";

export interface ColumnarSnapshot {
  classKey: string;
  version: number;
  nRollouts: number;
  nTurns: number;
  nGroups: number;
  turnRollout: Int32Array;
  turnPos: Int32Array;
  turnMask: Uint8Array;
  turnSoft: Float64Array;
  turnTokens: Int32Array;
  turnAction: Int32Array;
  outcome: Uint8Array;
  rolloutGroup: Int32Array;
  turnOffsets: Int32Array;
  rolloutW: Int32Array;
  rolloutB: Int32Array;
  rolloutBehavior: Int32Array;
  groupRolloutOffsets: Int32Array;
  groupRollouts: Int32Array;
  behaviorNames: string[];
}

/** Fresh copies of the valid prefixes (the caller may transfer their buffers). */
export function snapshotColumnar(data: ColumnarRollouts): ColumnarSnapshot {
  const T = data.nTurns;
  const R = data.nRollouts;
  return {
    classKey: data.classKey,
    version: data.version,
    nRollouts: R,
    nTurns: T,
    nGroups: data.nGroups,
    turnRollout: data.turnRollout.slice(0, T),
    turnPos: data.turnPos.slice(0, T),
    turnMask: data.turnMask.slice(0, T),
    turnSoft: data.turnSoft.slice(0, T),
    turnTokens: data.turnTokens.slice(0, T),
    turnAction: data.turnAction.slice(0, T),
    outcome: data.outcome.slice(0, R),
    rolloutGroup: data.rolloutGroup.slice(0, R),
    turnOffsets: data.turnOffsets.slice(0, R + 1),
    rolloutW: data.rolloutW.slice(0, R),
    rolloutB: data.rolloutB.slice(0, R),
    rolloutBehavior: data.rolloutBehavior.slice(0, R),
    groupRolloutOffsets: data.groupRolloutOffsets.slice(0, data.nGroups + 1),
    groupRollouts: data.groupRollouts.slice(0, R),
    behaviorNames: [...data.behaviorNames],
  };
}

/** The buffers a snapshot owns, for postMessage's transfer list. */
export function snapshotBuffers(s: ColumnarSnapshot): ArrayBuffer[] {
  return [
    s.turnRollout,
    s.turnPos,
    s.turnMask,
    s.turnSoft,
    s.turnTokens,
    s.turnAction,
    s.outcome,
    s.rolloutGroup,
    s.turnOffsets,
    s.rolloutW,
    s.rolloutB,
    s.rolloutBehavior,
    s.groupRolloutOffsets,
    s.groupRollouts,
  ].map((a) => a.buffer as ArrayBuffer);
}

/**
 * A read-only ColumnarRollouts over a snapshot, for analysis only: ids are empty, and it must
 * not be appended to (the append lookups are empty too).
 */
export function restoreColumnar(s: ColumnarSnapshot): ColumnarRollouts {
  return {
    classKey: s.classKey,
    version: s.version,
    nRollouts: s.nRollouts,
    nTurns: s.nTurns,
    nGroups: s.nGroups,
    turnRollout: s.turnRollout,
    turnPos: s.turnPos,
    turnMask: s.turnMask,
    turnSoft: s.turnSoft,
    turnTokens: s.turnTokens,
    turnAction: s.turnAction,
    outcome: s.outcome,
    rolloutGroup: s.rolloutGroup,
    turnOffsets: s.turnOffsets,
    rolloutW: s.rolloutW,
    rolloutB: s.rolloutB,
    rolloutBehavior: s.rolloutBehavior,
    rolloutIds: [],
    taskIds: [],
    groupIds: [],
    groupRolloutOffsets: s.groupRolloutOffsets,
    groupRollouts: s.groupRollouts,
    behaviorNames: s.behaviorNames,
    actionKeys: [],
    groupIndex: new Map(),
    behaviorIndex: new Map(s.behaviorNames.map((name, i) => [name, i])),
    actionIndex: new Map(),
  };
}
