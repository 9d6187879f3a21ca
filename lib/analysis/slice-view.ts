/**
 * A slice as data of its own. Most slices keep or drop whole groups (W, B and behaviour are
 * task-level, and a group belongs to one training step), and then analysing the slice equals
 * analysing those groups alone (docs/reward-calibration.md: advantages are per group). Masking
 * still walks every turn of the experiment and computes every group's advantages; a view copies
 * the selected groups once into a compact ColumnarRollouts, so a recompute on it (a slider move
 * while the slice stays) costs in proportion to the slice.
 *
 * Bit for bit: the view keeps the rollouts in arrival order with their turns, and each group's
 * rollouts in the same order, so every sum is taken over the same values in the same order as
 * the masked computation (lib/analysis/slice-view.test.ts compares the two with Object.is).
 *
 * Views are derived data of one data version, kept in its invariant scope (./invariants: dropped
 * on append and by clearInvariantCache). Bound: the views of one data set hold at most as many
 * turns as the data itself (least recently used dropped first), and a slice of more than half the
 * turns gets no view (masking it costs at most twice as much as its view would).
 */
import { createColumnar, type ColumnarRollouts } from "./columnar";
import { invariantScope, sliceKeyOf } from "./invariants";
import { buildSliceMask, type SliceSpec } from "./slice";

/** What to analyse for `slice`: the view of its groups with no slice left, or the data and the slice unchanged. */
export interface SliceTarget {
  data: ColumnarRollouts;
  slice: SliceSpec | null;
}

/** Views of a slice selecting more than this share of the turns are not built. */
const MAX_VIEW_SHARE = 0.5;

interface ViewStore {
  /** Views by slice key, least recently used first; null: this slice cannot have a view. */
  views: Map<string, ColumnarRollouts | null>;
  turns: number;
}

// A WeakMap, not createCache: keyed by the data version's invariant scope and released with it.
const STORES = new WeakMap<object, ViewStore>();

/**
 * `{ data: view, slice: null }` when `slice` keeps or drops whole groups and selects at most half
 * the turns; otherwise `{ data, slice }` (an explicit rollout mask is never viewed: it has no key).
 * The view is a read-only ColumnarRollouts: analyse it, never append to it.
 */
export function sliceView(data: ColumnarRollouts, slice: SliceSpec | null | undefined): SliceTarget {
  const unchanged: SliceTarget = { data, slice: slice ?? null };
  const key = slice ? sliceKeyOf(slice) : null;
  if (key === null || key === "all") return unchanged;
  const scope = invariantScope(data);
  let store = STORES.get(scope);
  if (!store) {
    store = { views: new Map(), turns: 0 };
    STORES.set(scope, store);
  }
  let view = store.views.get(key);
  if (view === undefined) {
    const mask = buildSliceMask(data, slice);
    view = mask ? buildView(data, mask) : null;
    if (view) store.turns += view.nTurns;
    // Keep the views' turns within the data's own: drop the least recently used.
    for (const [k, v] of store.views) {
      if (store.turns <= data.nTurns) break;
      if (v) store.turns -= v.nTurns;
      store.views.delete(k);
    }
  } else store.views.delete(key);
  store.views.set(key, view);
  return view ? { data: view, slice: null } : unchanged;
}

/**
 * The selected rollouts as their own data set, or null when the mask cuts a group (advantages
 * are computed over whole groups: a view of part of a group would change them) or selects more
 * than MAX_VIEW_SHARE of the turns.
 */
export function buildView(data: ColumnarRollouts, mask: Uint8Array): ColumnarRollouts | null {
  const { groupRolloutOffsets: goff, groupRollouts: members, turnOffsets } = data;
  let rollouts = 0;
  let turns = 0;
  for (let g = 0; g < data.nGroups; g++) {
    let kept = 0;
    for (let j = goff[g]; j < goff[g + 1]; j++) kept += mask[members[j]] ? 1 : 0;
    if (kept !== 0 && kept !== goff[g + 1] - goff[g]) return null;
  }
  for (let i = 0; i < data.nRollouts; i++) {
    if (!mask[i]) continue;
    rollouts++;
    turns += turnOffsets[i + 1] - turnOffsets[i];
  }
  if (turns > MAX_VIEW_SHARE * data.nTurns) return null;

  const view = createColumnar(data.classKey, Math.max(1, turns), Math.max(1, rollouts));
  // Dictionaries are shared read-only: codes keep their meaning (behaviour slices, action keys).
  view.behaviorNames = data.behaviorNames;
  view.behaviorIndex = data.behaviorIndex;
  view.actionKeys = data.actionKeys;
  view.actionIndex = data.actionIndex;
  const groupOf = new Int32Array(data.nGroups).fill(-1);
  const viewIndex = new Int32Array(data.nRollouts);
  let r = 0;
  let t = 0;
  for (let i = 0; i < data.nRollouts; i++) {
    if (!mask[i]) continue;
    const parentGroup = data.rolloutGroup[i];
    if (groupOf[parentGroup] < 0) {
      groupOf[parentGroup] = view.groupIds.length;
      view.groupIds.push(data.groupIds[parentGroup] ?? "");
    }
    viewIndex[i] = r;
    view.outcome[r] = data.outcome[i];
    view.rolloutGroup[r] = groupOf[parentGroup];
    view.rolloutW[r] = data.rolloutW[i];
    view.rolloutB[r] = data.rolloutB[i];
    view.rolloutBehavior[r] = data.rolloutBehavior[i];
    view.rolloutIds.push(data.rolloutIds[i] ?? "");
    view.taskIds.push(data.taskIds[i] ?? "");
    view.turnOffsets[r] = t;
    const s = turnOffsets[i];
    const e = turnOffsets[i + 1];
    view.turnPos.set(data.turnPos.subarray(s, e), t);
    view.turnMask.set(data.turnMask.subarray(s, e), t);
    view.turnSoft.set(data.turnSoft.subarray(s, e), t);
    view.turnTokens.set(data.turnTokens.subarray(s, e), t);
    view.turnAction.set(data.turnAction.subarray(s, e), t);
    view.turnRollout.fill(r, t, t + (e - s));
    t += e - s;
    r++;
    view.turnOffsets[r] = t;
  }
  view.nRollouts = r;
  view.nTurns = t;
  view.nGroups = view.groupIds.length;
  // Group CSR in the parent's member order (each group's rollouts as the parent orders them).
  const offsets = new Int32Array(view.nGroups + 1);
  const viewMembers = new Int32Array(r);
  const fill = new Int32Array(view.nGroups);
  for (let i = 0; i < r; i++) offsets[view.rolloutGroup[i] + 1]++;
  for (let g = 0; g < view.nGroups; g++) offsets[g + 1] += offsets[g];
  fill.set(offsets.subarray(0, view.nGroups));
  for (let g = 0; g < data.nGroups; g++) {
    const vg = groupOf[g];
    if (vg < 0) continue;
    for (let j = goff[g]; j < goff[g + 1]; j++) viewMembers[fill[vg]++] = viewIndex[members[j]];
  }
  view.groupRolloutOffsets = offsets;
  view.groupRollouts = viewMembers;
  view.version = 1;
  return view;
}
