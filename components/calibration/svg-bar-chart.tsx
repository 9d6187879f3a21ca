"use client";

/**
 * A plain-SVG bar chart (categories × one or more grouped series) for the charts the workbench
 * redraws on every config edit: advantage direction, advantage distribution, gradient share.
 *
 * Why not recharts here: a recharts chart re-derives its layout through its store in several
 * render passes per data change, and its axes measure new tick labels in the DOM (a forced
 * layout each); in profiles that was most of the browser's share of the slider-to-charts time.
 * This draws the same marks (grid, axes with recharts' nice ticks, zero line, grouped bars,
 * hover highlight + tooltip, click) in one render and never reads layout except the width (a
 * ResizeObserver). Charts that change only with tiering or the slice (ρ, presence) keep recharts.
 */
import { useLayoutEffect, useRef, useState, type MouseEvent, type ReactNode, type RefObject } from "react";
import { axisLine, axisTick, gridStroke } from "@/components/charts/chart-tooltip";
import { valueTicks } from "./value-ticks";

export interface BarSeries<P> {
  key: string;
  value: (p: P) => number | null;
  fill: string | ((p: P) => string);
  fillOpacity?: number;
  /** Outline of one bar (e.g. a misaligned tier), none when undefined. */
  stroke?: (p: P) => { color: string; width: number } | undefined;
}

export interface XTickLabel {
  text: string;
  fill?: string;
  fontWeight?: number;
}

export interface SvgBarChartProps<P> {
  points: readonly P[];
  /** The category's tick label (unless xTick is given). */
  category: (p: P) => string;
  series: readonly BarSeries<P>[];
  height: number;
  /** Value domain; by default the data's extent with 0, widened to recharts' nice ticks. */
  domain?: readonly [number, number];
  yTickFormat?: (v: number) => string;
  yLabel: string;
  xLabel: string;
  xTick?: (p: P, i: number) => XTickLabel;
  /** Label every n-th category (1 = all). */
  xTickEvery?: number;
  /** Category index for a dashed vertical marker (e.g. the bin holding 0). */
  markerAt?: number | null;
  /** Pixels between the bars of one category. */
  barGap?: number;
  /** Pixels (or 10% of the band) kept free at each side of a category. */
  categoryGap?: number | "10%";
  tooltip: (p: P) => ReactNode;
  onSelect?: (p: P, index: number) => void;
}

// The geometry recharts used for these charts: margin {8, 12, 22, 4}, Y axis 44 wide, X axis 30 high.
const MARGIN = { top: 8, right: 12, bottom: 22, left: 4 };
const Y_AXIS_WIDTH = 44;
const X_AXIS_HEIGHT = 30;
const TICK_SIZE = 6;
const TICK_MARGIN = 2;

/** Width of the element, kept current by a ResizeObserver (one synchronous read on mount). */
function useWidth(): [RefObject<HTMLDivElement | null>, number | null] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState<number | null>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const ro = new ResizeObserver((entries) => setWidth(Math.floor(entries[0].contentRect.width)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

export function SvgBarChart<P>(props: SvgBarChartProps<P>) {
  const [ref, width] = useWidth();
  const [hover, setHover] = useState<{ index: number; x: number; y: number } | null>(null);
  return (
    <div ref={ref} className="relative w-full" style={{ height: props.height }} onMouseLeave={() => setHover(null)}>
      {width ? <Plot {...props} width={width} hover={hover?.index ?? null} onHover={setHover} /> : null}
      {hover !== null && width && props.points[hover.index] !== undefined ? (
        <div
          className="pointer-events-none absolute z-10"
          style={{ left: hover.x, top: hover.y, transform: `translate(${hover.x > width / 2 ? "calc(-100% - 12px)" : "12px"}, 12px)` }}
        >
          {props.tooltip(props.points[hover.index])}
        </div>
      ) : null}
    </div>
  );
}

function Plot<P>({
  points,
  category,
  series,
  height,
  domain,
  yTickFormat = String,
  yLabel,
  xLabel,
  xTick,
  xTickEvery = 1,
  markerAt,
  barGap = 1,
  categoryGap = "10%",
  onSelect,
  width,
  hover,
  onHover,
}: SvgBarChartProps<P> & { width: number; hover: number | null; onHover: (h: { index: number; x: number; y: number } | null) => void }) {
  const left = MARGIN.left + Y_AXIS_WIDTH;
  const top = MARGIN.top;
  const plotW = Math.max(1, width - left - MARGIN.right);
  const plotH = Math.max(1, height - top - MARGIN.bottom - X_AXIS_HEIGHT);
  const bottom = top + plotH;
  const values = points.flatMap((p) => series.map((s) => s.value(p)));
  const { ticks, lo, hi } = valueTicks(values, domain);
  const y = (v: number) => top + ((hi - v) / (hi - lo || 1)) * plotH;
  const band = plotW / Math.max(1, points.length);
  const gap = categoryGap === "10%" ? band * 0.1 : categoryGap;
  const barW = Math.max(1, (band - 2 * gap - barGap * (series.length - 1)) / series.length);
  const y0 = y(Math.min(Math.max(0, lo), hi));
  const clientPoint = (e: MouseEvent<SVGRectElement>, index: number) => {
    const box = e.currentTarget.ownerSVGElement!.getBoundingClientRect();
    onHover({ index, x: e.clientX - box.left, y: e.clientY - box.top });
  };
  return (
    <svg width={width} height={height} role="img" aria-label={`${yLabel} by ${xLabel}`} className="block select-none">
      {ticks.map((t) => (
        <line key={`g${t}`} x1={left} x2={left + plotW} y1={y(t)} y2={y(t)} {...gridStroke} />
      ))}
      {hover !== null ? <rect x={left + hover * band} y={top} width={band} height={plotH} fill="currentColor" fillOpacity={0.08} /> : null}
      {points.map((p, i) =>
        series.map((s, k) => {
          const v = s.value(p);
          if (v === null || !Number.isFinite(v)) return null;
          const yv = y(Math.min(Math.max(v, lo), hi));
          const outline = s.stroke?.(p);
          return (
            <rect
              key={`${i}:${s.key}`}
              x={left + i * band + gap + k * (barW + barGap)}
              y={Math.min(yv, y0)}
              width={barW}
              height={Math.abs(yv - y0)}
              fill={typeof s.fill === "function" ? s.fill(p) : s.fill}
              fillOpacity={s.fillOpacity}
              stroke={outline?.color}
              strokeWidth={outline?.width}
            />
          );
        }),
      )}
      {lo < 0 && hi > 0 ? <line x1={left} x2={left + plotW} y1={y0} y2={y0} stroke="currentColor" strokeOpacity={0.5} /> : null}
      {markerAt != null && markerAt >= 0 ? (
        <line x1={left + (markerAt + 0.5) * band} x2={left + (markerAt + 0.5) * band} y1={top} y2={bottom} stroke="currentColor" strokeOpacity={0.4} strokeDasharray="3 3" />
      ) : null}
      {/* Y axis */}
      <line x1={left} x2={left} y1={top} y2={bottom} {...axisLine} />
      {ticks.map((t) => (
        <g key={`y${t}`}>
          <line x1={left - TICK_SIZE} x2={left} y1={y(t)} y2={y(t)} {...axisLine} />
          <text x={left - TICK_SIZE - TICK_MARGIN} y={y(t)} dy="0.355em" textAnchor="end" {...axisTick}>
            {yTickFormat(t)}
          </text>
        </g>
      ))}
      <text transform={`translate(${MARGIN.left + 8} ${top + plotH / 2}) rotate(-90)`} textAnchor="middle" dy="0.355em" fill="currentColor" fontSize={12}>
        {yLabel}
      </text>
      {/* X axis */}
      <line x1={left} x2={left + plotW} y1={bottom} y2={bottom} {...axisLine} />
      {points.map((p, i) => {
        if (i % xTickEvery !== 0) return null;
        const label = xTick ? xTick(p, i) : { text: category(p) };
        const cx = left + (i + 0.5) * band;
        return (
          <g key={`x${i}`}>
            <line x1={cx} x2={cx} y1={bottom} y2={bottom + TICK_SIZE} {...axisLine} />
            <text x={cx} y={bottom + TICK_SIZE + TICK_MARGIN} dy="0.71em" textAnchor="middle" fontSize={axisTick.fontSize} fill={label.fill ?? axisTick.fill} fontWeight={label.fontWeight}>
              {label.text}
            </text>
          </g>
        );
      })}
      <text x={left + plotW / 2} y={height - 4} textAnchor="middle" fill="currentColor" fontSize={12}>
        {xLabel}
      </text>
      {/* Hover / click targets, one per category, on top of everything. */}
      {points.map((p, i) => (
        <rect
          key={`h${i}`}
          x={left + i * band}
          y={top}
          width={band}
          height={plotH}
          fill="transparent"
          style={onSelect ? { cursor: "pointer" } : undefined}
          onMouseMove={(e) => clientPoint(e, i)}
          onClick={onSelect ? () => onSelect(p, i) : undefined}
        />
      ))}
    </svg>
  );
}
