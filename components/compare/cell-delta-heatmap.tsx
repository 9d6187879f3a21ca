"use client";

/** W × B cell deltas (B − A) of one metric on the shared W × B heatmap's signed (diverging) scale. */
import { WBHeatmap } from "@/components/charts/wb-heatmap";
import { fmt, fmtSigned } from "@/components/calibration/series";
import type { CompareResponse } from "@/lib/compare/compare";
import { TIER_NAMES, type TierName } from "@/lib/rewards";
import { CELL_METRICS, type CellDeltaMetric, type CompareUrlState } from "./compare-url";
import { CELL_METRIC_INFO, cellDeltaMatrix } from "./series";

export function CellDeltaHeatmap({
  data,
  metric,
  tier,
  onChange,
}: {
  data: CompareResponse;
  metric: CellDeltaMetric;
  tier: TierName;
  onChange: (patch: Partial<CompareUrlState>) => void;
}) {
  const info = CELL_METRIC_INFO[metric];
  const m = cellDeltaMatrix(data.cells, metric, tier);
  const digits = metric === "pass_rate" ? 0 : metric === "mismatches" ? 0 : 2;
  const show = (v: number | null) => (v === null ? "n/a" : metric === "pass_rate" ? `${fmt(v, 0)}%` : fmt(v, digits));
  return (
    <WBHeatmap
      variant="metric"
      picker={{
        lead: "Per-cell delta:",
        ariaLabel: "Cell delta metric",
        options: CELL_METRICS,
        labelOf: (k) => CELL_METRIC_INFO[k].label,
        value: metric,
        onChange: (k) => onChange({ metric: k }),
        extra: info.perTier ? (
          <label className="ml-2 flex items-center gap-1">
            <span className="text-zinc-600 dark:text-zinc-400">tier</span>
            <select className="h-7 rounded-md border border-zinc-300 bg-white px-1.5 dark:border-zinc-700 dark:bg-zinc-900" value={tier} onChange={(e) => onChange({ tier: e.target.value as TierName })}>
              {TIER_NAMES.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </label>
        ) : null,
      }}
      testId="compare-cell-deltas"
      title={`${info.label}${info.perTier ? ` (${tier})` : ""} per W × B cell`}
      description={`B − A in each cell of the WRIT grid (${info.unit}); blue: B higher, red: B lower, dashed: a side has no value.`}
      rows={m.ws.map((w) => ({ key: String(w), label: w < 0 ? "?" : String(w) }))}
      cols={m.bs.map((b) => ({ key: String(b), label: b < 0 ? "?" : String(b) }))}
      values={m.values}
      scale="signed"
      format={(v) => fmtSigned(v, digits)}
      legendLabel={`${info.label} (${info.unit})`}
      tooltip={(cell) => (
        <span>
          A {show(m.a[cell.row][cell.col])} → B {show(m.b[cell.row][cell.col])} · {m.n[cell.row][cell.col].a} / {m.n[cell.row][cell.col].b} rollouts
        </span>
      )}
    />
  );
}
