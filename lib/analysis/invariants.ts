/**
 * A small cache for results that do not depend on the tier *values*: tier statistics (ρ, CI, p,
 * presence, shares), GRPO's diagnostics (outcome-only advantages), per-slice layouts. A slider
 * move changes only rewards, so these are computed once per (data version, key) and reused;
 * the key must name every input the value depends on (precedence, slice, window, ddof, eps …).
 *
 * Held per data object (WeakMap, like the workspace) and dropped when the data's version moves
 * (appends). Cached values are shared between results: callers must treat them as read-only.
 */
import type { ColumnarRollouts } from "./columnar";
import type { SliceSpec } from "./slice";

/**
 * Enough for a few slices × precedences × estimator knobs. Entries are small except the
 * workbench's section layouts (an Int32Array per rollout each), bounded by this count.
 */
const MAX_ENTRIES = 32;

interface InvariantCache {
  version: number;
  entries: Map<string, unknown>;
}

// A WeakMap, not createCache: keyed by object identity and released with the object (createCache keys are strings).
const CACHES = new WeakMap<ColumnarRollouts, InvariantCache>();

function cacheOf(data: ColumnarRollouts): InvariantCache {
  let c = CACHES.get(data);
  if (!c || c.version !== data.version) {
    c = { version: data.version, entries: new Map() };
    CACHES.set(data, c);
  }
  return c;
}

/**
 * `compute()`'s value for `key` under the data's current version, computed at most once while
 * cached. A null key (an input that cannot be keyed, e.g. an explicit rollout mask) bypasses
 * the cache.
 */
export function memoInvariant<T>(data: ColumnarRollouts, key: string | null, compute: () => T): T {
  if (key === null) return compute();
  const { entries } = cacheOf(data);
  if (entries.has(key)) {
    const hit = entries.get(key) as T;
    // Re-insert: insertion order doubles as recency for eviction.
    entries.delete(key);
    entries.set(key, hit);
    return hit;
  }
  const value = compute();
  entries.set(key, value);
  while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
  return value;
}

/**
 * An object that stands for `data`'s current cache: replaced when the version moves or the cache
 * is cleared, so derived data keyed on it (./slice-view) goes with the invariants.
 */
export function invariantScope(data: ColumnarRollouts): object {
  return cacheOf(data);
}

/** Forget every cached invariant of `data` (tests compare the cached path with a cold one). */
export function clearInvariantCache(data: ColumnarRollouts): void {
  CACHES.delete(data);
}

const listKey = <T>(v: T | readonly T[] | undefined): string => (v === undefined ? "*" : JSON.stringify(Array.isArray(v) ? v : [v]));

/** A cache key for a slice (w, b, behaviour filters); null when it carries an explicit mask. */
export function sliceKeyOf(slice: SliceSpec | null | undefined): string | null {
  if (!slice) return "all";
  if (slice.mask) return null;
  return `w=${listKey(slice.w)};b=${listKey(slice.b)};behavior=${listKey(slice.behavior)}${slice.steps ? `;steps=${slice.steps[0]}-${slice.steps[1]}` : ""}`;
}
