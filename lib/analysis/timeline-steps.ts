/**
 * The training-step column of a columnar data set: one Int32 per rollout (-1 = no step, e.g. a
 * rollout of a run/import experiment). It is kept beside the data (a WeakMap, so ColumnarRollouts
 * and its loaders stay unchanged) and extended as rollouts are appended; a step never changes once
 * stored, so only the rollouts appended since the last fill are looked up.
 */
import type { ColumnarRollouts } from "./columnar";

interface StepColumn {
  steps: Int32Array;
  /** Rollouts [0, filled) have their step. */
  filled: number;
}

// A WeakMap, not createCache: keyed by object identity and released with the object (createCache keys are strings).
const columns = new WeakMap<ColumnarRollouts, StepColumn>();

/** The step of each rollout, valid for [0, data.nRollouts) once `fillStepColumn` ran; null when never filled. */
export function stepColumnOf(data: ColumnarRollouts): Int32Array | null {
  return columns.get(data)?.steps ?? null;
}

/**
 * Brings the step column up to `data.nRollouts`. `lookup(ids, all)` returns the step of each id it
 * knows (`all`: the ids are every rollout of the data, so the caller may read them in one scan).
 */
export function fillStepColumn(
  data: ColumnarRollouts,
  lookup: (ids: readonly string[], all: boolean) => ReadonlyMap<string, number>,
): Int32Array {
  let col = columns.get(data);
  const n = data.nRollouts;
  if (col && col.filled >= n) return col.steps;
  const from = col?.filled ?? 0;
  if (!col || col.steps.length < n) {
    const steps = new Int32Array(Math.max(n, (col?.steps.length ?? 0) * 2, 64)).fill(-1);
    if (col) steps.set(col.steps.subarray(0, col.filled));
    col = { steps, filled: from };
    columns.set(data, col);
  }
  const ids = data.rolloutIds.slice(from, n);
  const known = lookup(ids, from === 0);
  for (let i = from; i < n; i++) col.steps[i] = known.get(data.rolloutIds[i]) ?? -1;
  col.filled = n;
  return col.steps;
}

/** Parses "a-b" (inclusive; a ≤ b, both ≥ 0) or "a" (one step); null when malformed. */
export function parseStepRange(text: string | null | undefined): [number, number] | null {
  const m = /^\s*(\d{1,9})\s*(?:-\s*(\d{1,9})\s*)?$/.exec(text ?? "");
  if (!m) return null;
  const a = Number(m[1]);
  const b = m[2] === undefined ? a : Number(m[2]);
  return a <= b ? [a, b] : null;
}

export function formatStepRange(range: readonly [number, number]): string {
  return range[0] === range[1] ? String(range[0]) : `${range[0]}-${range[1]}`;
}
