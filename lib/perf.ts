/**
 * Bench timing marks (User Timing API) for the browser. UI components call these instead of
 * talking to `performance` directly, so the marks the benches read (bench/workbench.ts reads
 * "wb:update", measured from the last "wb:input") are named and placed in one module, and a
 * missing Performance API (old browser, server render) is a no-op in one place.
 */

/** Set mark `name` now (e.g. "wb:input" on an editor input). */
export function perfMark(name: string): void {
  if (typeof performance === "undefined") return;
  performance.mark?.(name);
}

/**
 * Measure `name` from the pending mark `from`, then clear that mark, so one input gives one
 * measure. Nothing happens when no such mark is pending (the change did not come from an input).
 */
export function perfMeasureSince(name: string, from: string): void {
  if (typeof performance === "undefined") return;
  if (performance.getEntriesByName(from, "mark").length === 0) return;
  try {
    performance.measure(name, from);
  } finally {
    performance.clearMarks(from);
  }
}

/** Milliseconds on the page's monotonic clock (for throttles; not a bench mark). */
export function perfNow(): number {
  return performance.now();
}
