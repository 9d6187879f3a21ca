/**
 * Turns the overview's W × B cells into heatmap rows/cols/values. Rows always include
 * W = 1..5 (the synthesis grid), plus any other W seen (0 for τ² "do nothing" tasks);
 * columns are the B values seen. Tasks without WRIT metadata (null W or B) get an "n/a"
 * row or column so their rollouts are not silently dropped.
 */
import type { WBCell } from "@/lib/experiments/api-types";

export interface WBMatrix {
  rows: { key: string; label: string; w: number | null }[];
  cols: { key: string; label: string; b: number | null }[];
  cells: (WBCell | null)[][];
}

const keyOf = (v: number | null) => (v === null ? "na" : String(v));
const byValue = (a: number | null, b: number | null) => (a === null ? 1 : b === null ? -1 : a - b);

export function buildWBMatrix(cells: readonly WBCell[]): WBMatrix {
  const ws = new Set<number | null>([1, 2, 3, 4, 5]);
  const bs = new Set<number | null>();
  for (const c of cells) {
    ws.add(c.writes);
    bs.add(c.evidence);
  }
  const rows = [...ws].sort(byValue).map((w) => ({ key: keyOf(w), label: w === null ? "n/a" : String(w), w }));
  const cols = [...bs].sort(byValue).map((b) => ({ key: keyOf(b), label: b === null ? "n/a" : String(b), b }));
  const index = new Map(cells.map((c) => [`${keyOf(c.writes)}:${keyOf(c.evidence)}`, c]));
  return {
    rows,
    cols,
    cells: rows.map((r) => cols.map((c) => index.get(`${r.key}:${c.key}`) ?? null)),
  };
}

/** The group-list URL filtered to one heatmap cell (null axes are left unfiltered). */
export function groupsHrefForCell(experimentId: number, w: number | null, b: number | null): string {
  const params = new URLSearchParams();
  if (w !== null) params.set("w", String(w));
  if (b !== null) params.set("b", String(b));
  const q = params.toString();
  return `/experiments/${experimentId}/groups${q ? `?${q}` : ""}`;
}
