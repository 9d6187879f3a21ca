/**
 * A compact, structured-clone-friendly copy of the numeric part of ColumnarRollouts: what the
 * estimators, the workspace (tiering, cancellation buckets) and slices read. Identifiers
 * (rollout, task and group ids) and the append lookups are left out, so a second thread can
 * hold its own copy for a few megabytes and compute estimator summaries on it.
 */
import type { ColumnarRollouts } from "./columnar";

/** Arrays copied with their valid prefix: per turn, per rollout, and the two CSR offset arrays. */
const PER_TURN = ["turnRollout", "turnPos", "turnMask", "turnSoft", "turnTokens", "turnAction"] as const;
const PER_ROLLOUT = ["outcome", "rolloutGroup", "rolloutW", "rolloutB", "rolloutBehavior", "groupRollouts"] as const;
const ARRAYS = [...PER_TURN, ...PER_ROLLOUT, "turnOffsets", "groupRolloutOffsets"] as const;
type ArrayField = (typeof ARRAYS)[number];

export type ColumnarSnapshot = Pick<ColumnarRollouts, ArrayField | "classKey" | "version" | "nRollouts" | "nTurns" | "nGroups" | "behaviorNames">;

/** Fresh copies of the valid prefixes (the caller may transfer their buffers). */
export function snapshotColumnar(data: ColumnarRollouts): ColumnarSnapshot {
  const { classKey, version, nRollouts, nTurns, nGroups } = data;
  // Each field by name (not a loop over ARRAYS) so every copy keeps its own array type.
  const perTurn = <A extends Int32Array | Uint8Array | Float64Array>(a: A): A => a.slice(0, nTurns) as A;
  const perRollout = <A extends Int32Array | Uint8Array>(a: A): A => a.slice(0, nRollouts) as A;
  const snap: ColumnarSnapshot = {
    classKey,
    version,
    nRollouts,
    nTurns,
    nGroups,
    behaviorNames: [...data.behaviorNames],
    turnRollout: perTurn(data.turnRollout),
    turnPos: perTurn(data.turnPos),
    turnMask: perTurn(data.turnMask),
    turnSoft: perTurn(data.turnSoft),
    turnTokens: perTurn(data.turnTokens),
    turnAction: perTurn(data.turnAction),
    outcome: perRollout(data.outcome),
    rolloutGroup: perRollout(data.rolloutGroup),
    rolloutW: perRollout(data.rolloutW),
    rolloutB: perRollout(data.rolloutB),
    rolloutBehavior: perRollout(data.rolloutBehavior),
    groupRollouts: perRollout(data.groupRollouts),
    turnOffsets: data.turnOffsets.slice(0, nRollouts + 1),
    groupRolloutOffsets: data.groupRolloutOffsets.slice(0, nGroups + 1),
  };
  return snap;
}

/** The buffers a snapshot owns, for postMessage's transfer list. */
export function snapshotBuffers(s: ColumnarSnapshot): ArrayBuffer[] {
  return ARRAYS.map((f) => s[f].buffer as ArrayBuffer);
}

/**
 * A read-only ColumnarRollouts over a snapshot, for analysis only: ids are empty, and it must
 * not be appended to (the append lookups are empty too).
 */
export function restoreColumnar(s: ColumnarSnapshot): ColumnarRollouts {
  return {
    ...s,
    rolloutIds: [],
    taskIds: [],
    groupIds: [],
    actionKeys: [],
    groupIndex: new Map(),
    behaviorIndex: new Map(s.behaviorNames.map((name, i) => [name, i])),
    actionIndex: new Map(),
  };
}
