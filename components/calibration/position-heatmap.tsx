"use client";

/** (5) Turn position × tier → mean final advantage (reuses the shared Heatmap; tiers as rows so 30+ positions scroll sideways). */
import { Heatmap, type HeatmapCell } from "@/components/charts/heatmap";
import type { AdvantageHeatmap, TierName } from "@/lib/calibration/api-types";
import { fmtSigned, positionHeatmap } from "./series";
import { signedScale, symmetricDomain } from "./signed-scale";

export function PositionHeatmap({
  heatmap,
  onSelect,
}: {
  heatmap: AdvantageHeatmap | undefined;
  onSelect: (position: number, tier: TierName, pooled: boolean) => void;
}) {
  const s = positionHeatmap(heatmap);
  // Transpose: rows = tiers, columns = positions.
  const values = s.cols.map((_, ti) => s.rows.map((_, pi) => s.values[pi]?.[ti] ?? null));
  const domain = symmetricDomain(values);
  const lookup = (cell: HeatmapCell) => {
    const tier = s.tiers[cell.row];
    const ti = heatmap ? heatmap.tiers.indexOf(tier) : -1;
    return { tier, n: heatmap?.n[cell.col]?.[ti] ?? 0, mis: heatmap?.misaligned[cell.col]?.[ti] ?? 0 };
  };
  return (
    <Heatmap
      testId="chart-position-heatmap"
      title="Mean advantage by turn position × tier"
      description="Mean final advantage A of the turns at each agent-turn position, per tier. Click a cell for its turns (misaligned first)."
      rows={s.cols}
      cols={s.rows}
      values={values}
      rowAxisLabel="tier"
      colAxisLabel="agent turn position k (0 = first)"
      domain={domain}
      scale={signedScale}
      format={(v) => fmtSigned(v, 2)}
      legendLabel="mean A (std units)"
      tooltip={(cell) => {
        const { n, mis } = lookup(cell);
        return (
          <span>
            exact {fmtSigned(cell.value, 4)} · {n.toLocaleString("en-US")} turns · {mis.toLocaleString("en-US")} against intended sign
          </span>
        );
      }}
      onCellClick={(cell) => {
        const tier = s.tiers[cell.row];
        const pooled = Boolean(heatmap?.last_row_pooled) && cell.col === s.positions.length - 1;
        onSelect(s.positions[cell.col], tier, pooled);
      }}
    />
  );
}
