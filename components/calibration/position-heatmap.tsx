"use client";

/**
 * (5) Turn position × tier → mean final advantage (reuses the shared Heatmap; tiers as rows).
 * Up to 41 positions are wider than the workbench's column, so by default the positions that do
 * not fit are pooled into a last "≥k" column (series.poolHeatmapPositions; its drill-down is every
 * turn at ≥ k); "all positions" shows every column and scrolls sideways.
 */
import { useEffect, useRef, useState } from "react";
import { Heatmap, type HeatmapCell } from "@/components/charts/heatmap";
import { CELL_W, GAP } from "@/components/charts/heatmap-geometry";
import type { AdvantageHeatmap, TierName } from "@/lib/calibration/api-types";
import { fmtSigned, poolHeatmapPositions, positionHeatmap } from "./series";
import { signedScale, symmetricDomain } from "./signed-scale";

/** Figure padding, the rotated row-axis label and the tier-label band: the width the cells cannot use. */
const CHROME_W = 32 + 28 + 80;

/** Columns that fit `width`, from a ResizeObserver on the wrapper (null until measured: show everything). */
function useFittingColumns(): [React.RefObject<HTMLDivElement | null>, number | null] {
  const ref = useRef<HTMLDivElement>(null);
  const [cols, setCols] = useState<number | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setCols(Math.max(4, Math.floor((el.clientWidth - CHROME_W) / (CELL_W + GAP))));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, cols];
}

export function PositionHeatmap({
  heatmap: full,
  onSelect,
}: {
  heatmap: AdvantageHeatmap | undefined;
  onSelect: (position: number, tier: TierName, pooled: boolean) => void;
}) {
  const [ref, fitCols] = useFittingColumns();
  const [showAll, setShowAll] = useState(false);
  const fits = !full || fitCols === null || full.positions.length <= fitCols;
  const heatmap = full && !fits && !showAll ? poolHeatmapPositions(full, fitCols!) : full;
  const s = positionHeatmap(heatmap);
  // Transpose: rows = tiers, columns = positions.
  const values = s.cols.map((_, ti) => s.rows.map((_, pi) => s.values[pi]?.[ti] ?? null));
  const domain = symmetricDomain(values);
  const lookup = (cell: HeatmapCell) => {
    const tier = s.tiers[cell.row];
    const ti = heatmap ? heatmap.tiers.indexOf(tier) : -1;
    return { tier, n: heatmap?.n[cell.col]?.[ti] ?? 0, mis: heatmap?.misaligned[cell.col]?.[ti] ?? 0 };
  };
  const pooledFrom = heatmap && heatmap !== full ? heatmap.positions[heatmap.positions.length - 1] : null;
  return (
    <div ref={ref} className="relative" data-testid="position-heatmap-wrap">
      <Heatmap
        testId="chart-position-heatmap"
        title="Mean advantage by turn position × tier"
        description={
          <>
            Mean final advantage A of the turns at each agent-turn position, per tier. Click a cell for its turns (misaligned first).
            {full && !fits ? (
              <>
                {" "}
                {showAll ? `All ${full.positions.length} positions: scroll sideways.` : `Positions ≥ ${pooledFrom} pooled into the last column to fit the width.`}{" "}
                <button type="button" className="font-medium text-indigo-700 hover:underline dark:text-indigo-300" onClick={() => setShowAll((v) => !v)} data-testid="position-heatmap-toggle">
                  {showAll ? "Fit to width" : `Show all ${full.positions.length} positions`}
                </button>
              </>
            ) : null}
          </>
        }
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
    </div>
  );
}
