"use client";

/**
 * The drawn pieces of the SVG heatmap (./heatmap.tsx): axis labels, cell boxes, the active-cell
 * outline, the tooltip and the colour legend. Presentational only; the heatmap owns the state and
 * the pointer / keyboard handling, and reads data-row/data-col back from the cell boxes.
 */
import { memo, type ReactNode } from "react";
import type { ColorScale } from "./color-scale";
import { CELL_H, CELL_W, HEADER_H, cellOrigin, type HeatmapLayout } from "./heatmap-geometry";

/**
 * Shift from a cell's middle to the baseline that centres 12 px digits (≈ 0.35em). A fixed offset
 * rather than dominant-baseline: 200+ value texts are laid out again on every slider tick, so
 * they keep the plain alphabetic baseline with nothing extra to resolve.
 */
export const BASELINE_SHIFT = 4;

/** Row and column labels; re-rendered only when the labels themselves change. */
export const HeatmapAxes = memo(function HeatmapAxes({ layout, rowKey, colKey }: { layout: HeatmapLayout; rowKey: string; colKey: string }) {
  const rowLabels = rowKey.split("\n");
  const colLabels = colKey.split("\n");
  return (
    <g fill="currentColor" className="font-medium tabular-nums" aria-hidden>
      {colLabels.map((label, ci) => (
        <text key={ci} x={cellOrigin(layout, 0, ci).x + CELL_W / 2} y={HEADER_H - 6} textAnchor="middle">
          {label}
        </text>
      ))}
      {rowLabels.map((label, ri) => (
        <text key={ri} x={layout.labelW - 6} y={cellOrigin(layout, ri, 0).y + CELL_H / 2 + BASELINE_SHIFT} textAnchor="end">
          {label}
        </text>
      ))}
    </g>
  );
});

/**
 * One cell's box: only primitives as props, so a new result re-renders the rects whose colour
 * changed and React touches just their fill. The svg's handlers read data-row/data-col.
 */
export const CellRect = memo(function CellRect({ row, col, x, y, fill, href }: { row: number; col: number; x: number; y: number; fill: string; href?: string }) {
  const rect = <rect data-row={row} data-col={col} data-testid={`heatmap-cell-${row}-${col}`} x={x} y={y} width={CELL_W} height={CELL_H} rx={4} fill={fill} />;
  // tabIndex -1: the svg is the single tab stop; the anchor exists for the href (and new-tab clicks).
  return href ? (
    <a href={href} tabIndex={-1}>
      {rect}
    </a>
  ) : (
    rect
  );
});

export const MissingCellRect = memo(function MissingCellRect({ row, col, x, y }: { row: number; col: number; x: number; y: number }) {
  return (
    <rect
      data-row={row}
      data-col={col}
      data-testid={`heatmap-cell-${row}-${col}`}
      data-missing=""
      x={x + 0.5}
      y={y + 0.5}
      width={CELL_W - 1}
      height={CELL_H - 1}
      rx={4}
      fill="transparent"
      stroke="currentColor"
      strokeOpacity={0.35}
      strokeDasharray="3 3"
    >
      <title>no data</title>
    </rect>
  );
});

/** The hovered or keyboard-active cell's outline (keyboard: the focus colour, thicker). */
export function ActiveOutline({ layout, row, col, keyboard }: { layout: HeatmapLayout; row: number; col: number; keyboard: boolean }) {
  const { x, y } = cellOrigin(layout, row, col);
  return (
    <rect
      x={x - 1.5}
      y={y - 1.5}
      width={CELL_W + 3}
      height={CELL_H + 3}
      rx={5}
      fill="none"
      strokeWidth={keyboard ? 2.5 : 2}
      pointerEvents="none"
      data-testid="heatmap-active-cell"
      className={keyboard ? "stroke-indigo-500" : "stroke-zinc-900/50 dark:stroke-white/60"}
    />
  );
}

/** Fixed-position so the scroll container around the grid cannot clip it. */
export function HeatmapTooltip({ rect, where, value, extra }: { rect: DOMRect; where: string; value: string; extra?: ReactNode }) {
  return (
    <div
      role="tooltip"
      data-testid="heatmap-tooltip"
      style={{ position: "fixed", left: rect.left + rect.width / 2, top: rect.top - 6, transform: "translate(-50%, -100%)" }}
      className="pointer-events-none z-30 w-max max-w-64 rounded-md border border-zinc-200 bg-white px-2.5 py-1.5 text-xs leading-snug text-zinc-700 shadow-md dark:border-zinc-700 dark:bg-zinc-800 dark:text-zinc-200"
    >
      <div className="font-semibold text-zinc-900 dark:text-zinc-50">{where}</div>
      <div className="font-mono tabular-nums">{value}</div>
      {extra ? <div>{extra}</div> : null}
    </div>
  );
}

export function HeatmapLegend({
  scale,
  extent,
  format,
  label,
}: {
  scale: ColorScale;
  extent: readonly [number, number];
  format: (v: number) => string;
  label?: string;
}) {
  const stops = Array.from({ length: 11 }, (_, i) => `${scale(i / 10).background} ${i * 10}%`).join(", ");
  return (
    <div className="mt-3 flex items-center gap-2 text-xs" aria-label={`Colour scale${label ? ` for ${label}` : ""}: ${format(extent[0])} to ${format(extent[1])}`}>
      {label ? <span className="font-medium">{label}</span> : null}
      <span className="font-mono tabular-nums">{format(extent[0])}</span>
      <span className="h-2.5 w-40 rounded-sm" style={{ background: `linear-gradient(to right, ${stops})` }} aria-hidden />
      <span className="font-mono tabular-nums">{format(extent[1])}</span>
    </div>
  );
}
