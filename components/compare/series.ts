/**
 * Pure shaping of a CompareResponse for the view (tested): the task table's order and the
 * W × B delta matrix (B − A) of one metric.
 */
import type { CellSummary } from "@/lib/calibration/api-types";
import type { CompareResponse, CompareTaskRow } from "@/lib/compare/compare";
import type { TierName } from "@/lib/rewards";
import type { CellDeltaMetric, TaskSort } from "./compare-url";

/** Rows without a value for the sort key go last whichever the direction. */
export function sortTaskRows(rows: readonly CompareTaskRow[], sort: TaskSort, dir: "asc" | "desc"): CompareTaskRow[] {
  const key = (r: CompareTaskRow): number | string | null =>
    sort === "task" ? r.task_id : sort === "a" ? r.a.pass_rate : sort === "b" ? r.b.pass_rate : r.delta;
  const sign = dir === "asc" ? 1 : -1;
  return [...rows].sort((x, y) => {
    const kx = key(x);
    const ky = key(y);
    if (kx === null || ky === null) return kx === ky ? x.task_id.localeCompare(y.task_id) : kx === null ? 1 : -1;
    const c = typeof kx === "string" ? kx.localeCompare(ky as string) : kx - (ky as number);
    return c !== 0 ? sign * c : x.task_id.localeCompare(y.task_id);
  });
}

export const CELL_METRIC_INFO: Record<CellDeltaMetric, { label: string; unit: string; perTier: boolean }> = {
  pass_rate: { label: "Δ pass rate", unit: "percentage points, B − A", perTier: false },
  mean_adv: { label: "Δ mean advantage", unit: "std units, B − A", perTier: true },
  rho: { label: "Δ rho", unit: "correlation, B − A", perTier: true },
  mismatches: { label: "Δ mismatches", unit: "tiers, B − A", perTier: false },
};

function metricOf(c: CellSummary | null, metric: CellDeltaMetric, tier: TierName): number | null {
  if (!c) return null;
  switch (metric) {
    case "pass_rate":
      return c.pass_rate === null ? null : c.pass_rate * 100;
    case "mean_adv":
      return c.mean_adv[tier];
    case "rho":
      return c.rho[tier];
    case "mismatches":
      return c.mismatches;
  }
}

export interface CellDeltaMatrix {
  ws: number[];
  bs: number[];
  /** [w row][b col]: B − A, null when either side has no value. */
  values: (number | null)[][];
  a: (number | null)[][];
  b: (number | null)[][];
  n: { a: number; b: number }[][];
}

export function cellDeltaMatrix(cells: CompareResponse["cells"], metric: CellDeltaMetric, tier: TierName): CellDeltaMatrix {
  const ws = [...new Set(cells.map((c) => c.w))].sort((x, y) => x - y);
  const bs = [...new Set(cells.map((c) => c.b))].sort((x, y) => x - y);
  const grid = <T>(fill: T) => ws.map(() => bs.map(() => fill));
  const out: CellDeltaMatrix = { ws, bs, values: grid(null), a: grid(null), b: grid(null), n: ws.map(() => bs.map(() => ({ a: 0, b: 0 }))) };
  for (const c of cells) {
    const r = ws.indexOf(c.w);
    const k = bs.indexOf(c.b);
    const va = metricOf(c.a, metric, tier);
    const vb = metricOf(c.b_side, metric, tier);
    out.a[r][k] = va;
    out.b[r][k] = vb;
    out.values[r][k] = va !== null && vb !== null ? vb - va : null;
    out.n[r][k] = { a: c.a?.n_rollouts ?? 0, b: c.b_side?.n_rollouts ?? 0 };
  }
  return out;
}
