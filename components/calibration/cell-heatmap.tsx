"use client";

/** (8) The diagnostics per W × B cell of the WRIT grid, one metric at a time (click a cell for its turns). */
import { useState } from "react";
import { divergingScale } from "@/components/charts/color-scale";
import { WBHeatmap } from "@/components/charts/wb-heatmap";
import type { CellSummary } from "@/lib/calibration/api-types";
import { CELL_METRIC_LABELS, cellMatrix, fmt, fmtPct, type CellMetric } from "./series";
import { signedScale } from "./signed-scale";

const reversedDiverging = (t: number) => divergingScale(1 - t);

const METRICS: CellMetric[] = ["mismatches", "corr_adv_outcome", "dead_turn_pct", "pass_rate"];

export function CellHeatmap({ cells, onSelect }: { cells: CellSummary[] | undefined; onSelect: (w: number, b: number) => void }) {
  const [metric, setMetric] = useState<CellMetric>("mismatches");
  const m = cellMatrix(cells, metric);
  const format = (v: number) => (metric === "mismatches" ? String(v) : metric === "corr_adv_outcome" ? fmt(v, 2) : `${v.toFixed(0)}%`);
  // Mismatches: 0 is good (green) → many bad (red); correlation: signed; percentages: sequential.
  const scaleProps =
    metric === "mismatches"
      ? { scale: reversedDiverging, domain: [0, Math.max(1, ...m.values.flat().map((v) => v ?? 0))] as const }
      : metric === "corr_adv_outcome"
        ? { scale: signedScale, domain: [-1, 1] as const }
        : metric === "pass_rate"
          ? { scale: "diverging" as const, domain: [0, 100] as const }
          : { scale: "sequential" as const, domain: [0, 100] as const };
  return (
    <WBHeatmap
      variant="metric"
      picker={{ lead: "Per-cell metric:", ariaLabel: "W × B metric", options: METRICS, labelOf: (k) => CELL_METRIC_LABELS[k], value: metric, onChange: setMetric }}
      testId="chart-cells"
      title={`${CELL_METRIC_LABELS[metric]} per W × B cell`}
      description="Advantages over whole groups, statistics over each cell's rollouts."
      rows={m.rows}
      cols={m.cols}
      values={m.values}
      {...scaleProps}
      format={format}
      legendLabel={CELL_METRIC_LABELS[metric]}
      tooltip={(cell) => {
        const c = m.cells[cell.row]?.[cell.col];
        if (!c) return null;
        return (
          <span>
            {c.n_rollouts.toLocaleString("en-US")} rollouts · pass {fmtPct(c.pass_rate === null ? null : c.pass_rate * 100, 1)} · mismatches {c.mismatches}
            {c.misaligned.length ? ` (${c.misaligned.join(", ")})` : ""} · Corr {fmt(c.corr_adv_outcome, 3)} · dead {fmtPct(c.dead_turn_pct, 1)}
          </span>
        );
      }}
      onCellClick={(cell) => onSelect(m.ws[cell.row], m.bs[cell.col])}
    />
  );
}
