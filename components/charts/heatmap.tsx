"use client";

/**
 * A generic rows × columns heatmap drawn as one <svg> (no chart library): each cell is a <rect>
 * coloured by its value on a colour scale plus its formatted value (a <tspan> in its row's
 * <text>). Missing cells (null) render as an empty dashed box. Reused by the experiment overview
 * and the calibration workbench, so nothing here knows about experiments.
 *
 * Why SVG and event delegation: the calibration workbench recolours every cell on each slider
 * tick. As a table of buttons with per-cell ring/hover/focus classes, Chromium re-matched style
 * for every cell on each tick; here a cell is a class-less <rect> whose fill attribute changes
 * and a <tspan> whose text changes, the svg handles hover, click and keys for all cells (reading
 * data-row/data-col from the target), and the tooltip / active-cell outline are single elements.
 *
 * Keyboard: the svg is one tab stop; arrow keys (and Home/End) move an active cell (outlined, and
 * announced through an aria-live line), Enter/Space activate it like a click, Escape clears it.
 * Cells with an href are real SVG <a> elements (open-in-new-tab works); a plain click navigates
 * client-side through the router.
 *
 * The drawn pieces (axes, cell boxes, outline, tooltip, legend) are in ./heatmap-parts.tsx; the
 * W × B framing the app's grids share (axis names, metric picker) is ./wb-heatmap.tsx.
 */
import { useRouter } from "next/navigation";
import { useMemo, useRef, useState, type KeyboardEvent, type MouseEvent, type PointerEvent, type ReactNode } from "react";
import { divergingScale, extentOf, normalize, sequentialScale, signedScale, symmetricDomain, type ColorScale } from "./color-scale";
import { CELL_H, CELL_W, cellOrigin, heatmapLayout, isGridKey, moveActive } from "./heatmap-geometry";
import { ActiveOutline, BASELINE_SHIFT, CellRect, HeatmapAxes, HeatmapLegend, HeatmapTooltip, MissingCellRect } from "./heatmap-parts";

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
  /** Scale domain; defaults to the data's extent ("signed": symmetric around 0). */
  domain?: readonly [number, number];
  /** "diverging": low red → high green (rates); "sequential": magnitudes; "signed": negative red, 0 neutral, positive blue (deltas, advantages). */
  scale?: "diverging" | "sequential" | "signed" | ColorScale;
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
  return scale === "sequential" ? sequentialScale : scale === "signed" ? signedScale : divergingScale;
}

/** The cell being pointed at or moved to with the keyboard, with its box for the tooltip. */
interface ActiveCell {
  row: number;
  col: number;
  via: "pointer" | "keyboard";
  rect: DOMRect;
}

const valueAt = (values: HeatmapProps["values"], row: number, col: number): number | null => {
  const v = values[row]?.[col];
  return v === null || v === undefined || !Number.isFinite(v) ? null : v;
};

/** The data-row/data-col of the cell rect an event hit, if it hit one. */
function cellOfTarget(target: EventTarget | null): { row: number; col: number; el: Element } | null {
  const el = target instanceof Element ? target.closest("[data-row]") : null;
  if (!el) return null;
  return { row: Number(el.getAttribute("data-row")), col: Number(el.getAttribute("data-col")), el };
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
  const router = useRouter();
  const colorScale = resolveScale(scale);
  const extent = domain ?? (scale === "signed" ? symmetricDomain(values) : extentOf(values)) ?? ([0, 1] as const);
  const [activeState, setActive] = useState<ActiveCell | null>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  // Focus that follows a pointer press is not keyboard focus: do not jump to the first cell then.
  const pointerDown = useRef(false);

  // Axis labels change rarely (new result with a different position count); key the static
  // parts of the svg on their content, not on the array identity each result brings.
  const rowKey = rows.map((r) => r.label).join("\n");
  const colKey = cols.map((c) => c.label).join("\n");
  const layout = useMemo(() => heatmapLayout(rowKey ? rowKey.split("\n") : [], colKey ? colKey.split("\n").length : 0), [rowKey, colKey]);

  // A new result can have fewer rows or columns than the cell last pointed at.
  const active = activeState && activeState.row < layout.nRows && activeState.col < layout.nCols ? activeState : null;

  const where = (row: number, col: number) => `${rowAxisLabel ?? "row"} ${rows[row]?.label}, ${colAxisLabel ?? "column"} ${cols[col]?.label}`;
  const hrefOf = (row: number, col: number) => {
    const value = valueAt(values, row, col);
    return value === null ? undefined : cellHref?.({ row, col, value });
  };

  const activate = (row: number, col: number, e?: MouseEvent) => {
    const value = valueAt(values, row, col);
    if (value === null) return;
    onCellClick?.({ row, col, value });
    const href = cellHref?.({ row, col, value });
    if (!href) return;
    // Modified clicks (new tab/window) stay with the browser's own <a> handling.
    if (e && (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey)) return;
    e?.preventDefault();
    router.push(href);
  };

  const cellEl = (row: number, col: number) => svgRef.current?.querySelector(`[data-row="${row}"][data-col="${col}"]`) ?? null;

  const onPointerOver = (e: PointerEvent<SVGSVGElement>) => {
    const hit = cellOfTarget(e.target);
    if (!hit) {
      if (active?.via === "pointer") setActive(null);
      return;
    }
    if (active && active.row === hit.row && active.col === hit.col) return;
    const href = hrefOf(hit.row, hit.col);
    if (href) router.prefetch(href);
    setActive({ row: hit.row, col: hit.col, via: "pointer", rect: hit.el.getBoundingClientRect() });
  };

  const moveTo = (row: number, col: number) => {
    const el = cellEl(row, col);
    if (!el) return;
    el.scrollIntoView({ block: "nearest", inline: "nearest" });
    setActive({ row, col, via: "keyboard", rect: el.getBoundingClientRect() });
  };

  const onKeyDown = (e: KeyboardEvent<SVGSVGElement>) => {
    if (isGridKey(e.key)) {
      e.preventDefault();
      const next = moveActive(active, e.key, layout.nRows, layout.nCols);
      if (next) moveTo(next.row, next.col);
    } else if ((e.key === "Enter" || e.key === " ") && active) {
      e.preventDefault();
      activate(active.row, active.col);
    } else if (e.key === "Escape" && active) {
      setActive(null);
    }
  };

  // Colours, texts and links of every cell: recomputed for new data, not for a hover or a key press
  // (those re-render the heatmap with the same props).
  const [lo, hi] = extent;
  const cells = useMemo(
    () =>
      rows.map((_, ri) =>
        cols.map((c, ci) => {
          const value = valueAt(values, ri, ci);
          const { x, y } = cellOrigin(layout, ri, ci);
          const base = { key: c.key, row: ri, col: ci, x, y };
          if (value === null) return { ...base, text: null, fill: "", textFill: "", href: undefined };
          const { background, foreground } = colorScale(normalize(value, [lo, hi]));
          return { ...base, text: format(value), fill: background, textFill: foreground, href: cellHref?.({ row: ri, col: ci, value }) };
        }),
      ),
    [rows, cols, values, layout, colorScale, lo, hi, format, cellHref],
  );

  const activeValue = active ? valueAt(values, active.row, active.col) : null;
  const activeText = active ? (activeValue === null ? "no data" : format(activeValue)) : "";

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
          <div className="min-w-0 flex-1">
            <div className="overflow-x-auto">
              {/*
                Fixed size with strict containment: a relayout boundary, so the layout that every
                slider tick's new cell texts need starts here instead of at the document (the
                outlines are drawn inside the cells' gaps, so nothing overflows the box).
              */}
              <div style={{ width: layout.width, height: layout.height, contain: "strict" }}>
                <svg
                  ref={svgRef}
                  width={layout.width}
                  height={layout.height}
                  viewBox={`0 0 ${layout.width} ${layout.height}`}
                  role="group"
                  aria-roledescription="heatmap"
                  aria-label={`${title ?? "Heatmap"}. Arrow keys move between cells, Enter opens a cell.`}
                  tabIndex={0}
                  className="block rounded-sm text-xs -outline-offset-2 select-none focus-visible:outline-2 focus-visible:outline-indigo-500"
                  onPointerOver={onPointerOver}
                  onPointerLeave={() => active?.via === "pointer" && setActive(null)}
                  onPointerDown={() => {
                    pointerDown.current = true;
                  }}
                  onClick={(e) => {
                    const hit = cellOfTarget(e.target);
                    if (hit) activate(hit.row, hit.col, e);
                  }}
                  onFocus={() => {
                    const byPointer = pointerDown.current;
                    pointerDown.current = false;
                    if (!byPointer && !active) moveTo(0, 0);
                  }}
                  onBlur={() => {
                    pointerDown.current = false;
                    if (active?.via === "keyboard") setActive(null);
                  }}
                  onKeyDown={onKeyDown}
                >
                  <HeatmapAxes layout={layout} rowKey={rowKey} colKey={colKey} />
                  <g aria-hidden>
                    {cells.map((row) =>
                      row.map((c) =>
                        c.text === null ? (
                          <MissingCellRect key={c.key} row={c.row} col={c.col} x={c.x} y={c.y} />
                        ) : (
                          <CellRect key={c.key} row={c.row} col={c.col} x={c.x} y={c.y} fill={c.fill} href={c.href} />
                        ),
                      ),
                    )}
                  </g>
                  {/*
                    The values: one <text> per row, a <tspan> per cell (its x starts a new
                    centred chunk). A value change then relays out one text per row instead of
                    one per cell; the texts ignore the pointer so events reach the rects.
                  */}
                  <g className="font-mono font-semibold tabular-nums" textAnchor="middle" pointerEvents="none" aria-hidden>
                    {cells.map((row, ri) => (
                      <text key={rows[ri].key} y={cellOrigin(layout, ri, 0).y + CELL_H / 2 + BASELINE_SHIFT}>
                        {row.map((c) =>
                          c.text === null ? (
                            <tspan key={c.key} x={c.x + CELL_W / 2} fill="currentColor" fillOpacity={0.6} fontWeight={400}>
                              ·
                            </tspan>
                          ) : (
                            <tspan key={c.key} x={c.x + CELL_W / 2} fill={c.textFill}>
                              {c.text}
                            </tspan>
                          ),
                        )}
                      </text>
                    ))}
                  </g>
                  {active ? <ActiveOutline layout={layout} row={active.row} col={active.col} keyboard={active.via === "keyboard"} /> : null}
                </svg>
              </div>
            </div>
            {/* Outside the scroll container, so it stays in view however wide the grid is. */}
            {colAxisLabel ? (
              <div className="mt-1 text-center text-xs font-medium" style={{ maxWidth: layout.width, paddingLeft: layout.labelW }}>
                {colAxisLabel}
              </div>
            ) : null}
          </div>
        </div>
      )}
      {/* Announces the keyboard's active cell; pointer hovers are not announced. */}
      <p className="sr-only" aria-live="polite" data-testid={testId ? `${testId}-active` : undefined}>
        {active?.via === "keyboard" ? `${where(active.row, active.col)}: ${activeText}` : ""}
      </p>
      {active ? (
        <HeatmapTooltip
          rect={active.rect}
          where={where(active.row, active.col)}
          value={activeText}
          extra={activeValue === null ? undefined : tooltip?.({ row: active.row, col: active.col, value: activeValue })}
        />
      ) : null}
      <HeatmapLegend scale={colorScale} extent={extent} format={format} label={legendLabel} />
    </figure>
  );
}
