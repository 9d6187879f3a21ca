"use client";

/**
 * A generic rows × columns heatmap (plain HTML grid, no chart library): each cell is
 * coloured by its value on a colour scale, prints the formatted value, shows a tooltip on
 * hover or keyboard focus, and can link somewhere or report clicks. Missing cells (null)
 * render as an empty dashed box. Reused by the experiment overview and the calibration
 * workbench, so nothing here knows about experiments.
 */
import Link from "next/link";
import { memo, useState, type ReactNode } from "react";
import { divergingScale, extentOf, normalize, sequentialScale, type ColorScale } from "./color-scale";

export interface HeatmapAxisItem {
  key: string;
  label: string;
}

export interface HeatmapCell {
  row: number;
  col: number;
  value: number;
}

export interface HeatmapProps {
  title?: string;
  description?: ReactNode;
  rows: readonly HeatmapAxisItem[];
  cols: readonly HeatmapAxisItem[];
  /** values[row][col]; null (or a short row) means no data for that cell. */
  values: readonly (readonly (number | null)[])[];
  /** Axis names with units, e.g. "W (writes per task)". */
  rowAxisLabel?: string;
  colAxisLabel?: string;
  /** Scale domain; defaults to the data's extent. */
  domain?: readonly [number, number];
  scale?: "diverging" | "sequential" | ColorScale;
  format?: (value: number) => string;
  /** Extra tooltip lines (below the value), e.g. the sample size n. */
  tooltip?: (cell: HeatmapCell) => ReactNode;
  /** Makes the cell a link. */
  cellHref?: (cell: HeatmapCell) => string | undefined;
  onCellClick?: (cell: HeatmapCell) => void;
  /** What the colour encodes, shown next to the legend ("pass rate"). */
  legendLabel?: string;
  testId?: string;
}

const defaultFormat = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2));

function resolveScale(scale: HeatmapProps["scale"]): ColorScale {
  if (typeof scale === "function") return scale;
  return scale === "sequential" ? sequentialScale : divergingScale;
}

export function Heatmap({
  title,
  description,
  rows,
  cols,
  values,
  rowAxisLabel,
  colAxisLabel,
  domain,
  scale,
  format = defaultFormat,
  tooltip,
  cellHref,
  onCellClick,
  legendLabel,
  testId,
}: HeatmapProps) {
  const colorScale = resolveScale(scale);
  const extent = domain ?? extentOf(values) ?? ([0, 1] as const);
  const [active, setActive] = useState<ActiveCell | null>(null);

  return (
    <figure
      data-testid={testId}
      className="rounded-lg border border-zinc-200 bg-white p-4 text-zinc-600 shadow-sm dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400"
    >
      {title || description ? (
        <figcaption className="mb-3">
          {title ? <div className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">{title}</div> : null}
          {description ? <div className="mt-0.5 text-xs">{description}</div> : null}
        </figcaption>
      ) : null}
      {rows.length === 0 || cols.length === 0 ? (
        <div className="grid h-32 place-items-center rounded-md border border-dashed border-zinc-200 text-xs dark:border-zinc-800">No data yet</div>
      ) : (
        <div className="flex gap-2">
          {rowAxisLabel ? (
            <div className="flex w-5 shrink-0 items-center justify-center">
              <span className="-rotate-90 text-xs font-medium whitespace-nowrap">{rowAxisLabel}</span>
            </div>
          ) : null}
          <div className="min-w-0 flex-1 overflow-x-auto">
            <table className="w-full border-separate border-spacing-1 text-xs" role="grid" aria-label={title}>
              <thead>
                <tr>
                  <th scope="col" className="w-8" />
                  {cols.map((c) => (
                    <th key={c.key} scope="col" className="min-w-12 px-1 pb-0.5 text-center font-medium tabular-nums">
                      {c.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r, ri) => (
                  <tr key={r.key}>
                    <th scope="row" className="pr-1.5 text-right font-medium whitespace-nowrap tabular-nums">
                      {r.label}
                    </th>
                    {cols.map((c, ci) => (
                      <HeatmapCellView
                        key={c.key}
                        row={ri}
                        col={ci}
                        rowLabel={r.label}
                        colLabel={c.label}
                        value={values[ri]?.[ci] ?? null}
                        color={colorScale}
                        extent={extent}
                        format={format}
                        href={cellHref}
                        onClick={onCellClick}
                        setActive={setActive}
                        rowAxisLabel={rowAxisLabel}
                        colAxisLabel={colAxisLabel}
                      />
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
            {colAxisLabel ? <div className="mt-1 pl-8 text-center text-xs font-medium">{colAxisLabel}</div> : null}
          </div>
        </div>
      )}
      {active ? (
        <HeatmapTooltip
          active={active}
          where={`${rowAxisLabel ?? "row"} ${rows[active.row]?.label}, ${colAxisLabel ?? "column"} ${cols[active.col]?.label}`}
          value={format(active.value)}
          extra={tooltip?.({ row: active.row, col: active.col, value: active.value })}
        />
      ) : null}
      <HeatmapLegend scale={colorScale} extent={extent} format={format} label={legendLabel} />
    </figure>
  );
}

const HeatmapCellView = memo(function HeatmapCellView({
  row,
  col,
  rowLabel,
  colLabel,
  value,
  color,
  extent,
  format,
  href,
  onClick,
  setActive,
  rowAxisLabel,
  colAxisLabel,
}: {
  row: number;
  col: number;
  rowLabel: string;
  colLabel: string;
  value: number | null;
  color: ColorScale;
  extent: readonly [number, number];
  format: (v: number) => string;
  href?: (cell: HeatmapCell) => string | undefined;
  onClick?: (cell: HeatmapCell) => void;
  setActive: (a: ActiveCell | null) => void;
  rowAxisLabel?: string;
  colAxisLabel?: string;
}) {
  const box = "relative block h-10 min-w-12 rounded px-1.5 text-center font-mono text-xs leading-10 font-semibold tabular-nums";
  if (value === null || !Number.isFinite(value)) {
    return (
      <td className="p-0">
        <span className={box + " border border-dashed border-zinc-200 font-normal text-zinc-400 dark:border-zinc-800 dark:text-zinc-600"} aria-label="no data">
          ·
        </span>
      </td>
    );
  }
  const cell = { row, col, value };
  const { background, foreground } = color(normalize(value, extent));
  const where = `${rowAxisLabel ?? "row"} ${rowLabel}, ${colAxisLabel ?? "column"} ${colLabel}`;
  const url = href?.(cell);
  const handlers = {
    onMouseEnter: (e: { currentTarget: Element }) => setActive({ ...cell, rect: e.currentTarget.getBoundingClientRect() }),
    onMouseLeave: () => setActive(null),
    onFocus: (e: { currentTarget: Element }) => setActive({ ...cell, rect: e.currentTarget.getBoundingClientRect() }),
    onBlur: () => setActive(null),
    style: { background, color: foreground },
    "aria-label": `${where}: ${format(value)}`,
    "data-testid": `heatmap-cell-${row}-${col}`,
  };
  const content = format(value);
  const interactive = " cursor-pointer outline-offset-2 hover:ring-2 hover:ring-zinc-900/40 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:hover:ring-white/50";
  return (
    <td className="p-0">
      {url ? (
        <Link href={url} className={box + interactive} onClick={onClick ? () => onClick(cell) : undefined} {...handlers}>
          {content}
        </Link>
      ) : onClick ? (
        <button type="button" className={box + interactive + " w-full"} onClick={() => onClick(cell)} {...handlers}>
          {content}
        </button>
      ) : (
        <span className={box} tabIndex={0} {...handlers}>
          {content}
        </span>
      )}
    </td>
  );
});

interface ActiveCell extends HeatmapCell {
  rect: DOMRect;
}

/** Fixed-position so the scroll container around the grid cannot clip it. */
function HeatmapTooltip({ active, where, value, extra }: { active: ActiveCell; where: string; value: string; extra?: ReactNode }) {
  const { rect } = active;
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

function HeatmapLegend({
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
