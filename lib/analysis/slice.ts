/**
 * Slices select rollouts (never single turns): by WRIT W, B, behaviour, explicit rollout indices,
 * or any combination (AND). The result is a Uint8Array mask over rollouts, or null for "all".
 */
import type { ColumnarRollouts } from "./columnar";
import { stepColumnOf } from "./timeline-steps";

export interface SliceSpec {
  /** Task write counts to keep. */
  w?: number | readonly number[];
  /** Evidence burdens (max B over the task's writes) to keep. */
  b?: number | readonly number[];
  behavior?: string | readonly string[];
  /** Rollout-level mask (length ≥ nRollouts), e.g. from a UI selection. */
  mask?: ArrayLike<number>;
  /** Training steps [from, to], inclusive: reads the step column (timeline-steps.ts); rollouts without a step are out. */
  steps?: readonly [number, number];
}

const asList = <T>(v: T | readonly T[]): readonly T[] => (Array.isArray(v) ? (v as readonly T[]) : [v as T]);

export function buildSliceMask(data: ColumnarRollouts, slice?: SliceSpec | null): Uint8Array | null {
  if (!slice || (slice.w === undefined && slice.b === undefined && slice.behavior === undefined && !slice.mask && !slice.steps)) return null;
  const n = data.nRollouts;
  const mask = new Uint8Array(n).fill(1);
  if (slice.w !== undefined) {
    const keep = new Set(asList(slice.w));
    for (let i = 0; i < n; i++) if (!keep.has(data.rolloutW[i])) mask[i] = 0;
  }
  if (slice.b !== undefined) {
    const keep = new Set(asList(slice.b));
    for (let i = 0; i < n; i++) if (!keep.has(data.rolloutB[i])) mask[i] = 0;
  }
  if (slice.behavior !== undefined) {
    const codes = new Set(asList(slice.behavior).map((name) => data.behaviorNames.indexOf(name)));
    for (let i = 0; i < n; i++) if (!codes.has(data.rolloutBehavior[i])) mask[i] = 0;
  }
  if (slice.mask) for (let i = 0; i < n; i++) if (!slice.mask[i]) mask[i] = 0;
  if (slice.steps) {
    const [from, to] = slice.steps;
    const col = stepColumnOf(data);
    for (let i = 0; i < n; i++) {
      const s = col && i < col.length ? col[i] : -1;
      if (s < from || s > to) mask[i] = 0;
    }
  }
  return mask;
}

/** The most recent `window` rollouts (arrival order) within the slice; null window = the slice itself. */
export function buildWindowMask(data: ColumnarRollouts, slice: Uint8Array | null, window: number | null): Uint8Array | null {
  if (window === null) return slice;
  const mask = new Uint8Array(data.nRollouts);
  let left = window;
  for (let i = data.nRollouts - 1; i >= 0 && left > 0; i--) {
    if (slice && !slice[i]) continue;
    mask[i] = 1;
    left--;
  }
  return mask;
}

export function countSelected(n: number, mask: Uint8Array | null): number {
  if (!mask) return n;
  let c = 0;
  for (let i = 0; i < n; i++) c += mask[i];
  return c;
}
