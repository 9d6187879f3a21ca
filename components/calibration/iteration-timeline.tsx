"use client";

/** The iteration timeline as four small charts (each metric keeps its own unit and axis). */
import { memo, useMemo } from "react";
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { LegendItem } from "@/components/charts/chart-frame";
import { axisLine, axisTick, ChartTooltipBox, gridStroke } from "@/components/charts/chart-tooltip";
import { fmt, fmtPct, type TimelinePoint } from "./series";
import { axisWidthFor, formatTicks, valueTicks } from "./value-ticks";

const SERIES: { key: "mismatches" | "corr" | "dead" | "pass"; label: string; unit: string; color: string; format: (v: number | null) => string; domain?: [number, number] }[] = [
  { key: "mismatches", label: "mismatches", unit: "tiers", color: "#ef4444", format: (v) => (v === null ? "n/a" : String(v)) },
  { key: "corr", label: "Corr(r̄, o)", unit: "r", color: "#6366f1", format: (v) => fmt(v, 3), domain: [-1, 1] },
  { key: "dead", label: "dead turns", unit: "%", color: "#71717a", format: (v) => fmtPct(v, 1) },
  { key: "pass", label: "pass rate", unit: "%", color: "#10b981", format: (v) => fmtPct(v, 1), domain: [0, 100] },
];

/**
 * The y axis of one metric: our own nice ticks (recharts' for a [0, auto] domain), labelled with
 * the decimals they need and an axis wide enough for the longest label, so small values such as
 * a dead-turn share of 0.034 % are not clipped to ".034".
 */
function yAxisOf(points: readonly TimelinePoint[], s: (typeof SERIES)[number]) {
  const values = points.map((p) => p[s.key]);
  if (s.key === "mismatches") {
    const max = Math.max(4, ...values.map((v) => v ?? 0));
    const ticks = Array.from({ length: 5 }, (_, i) => Math.round((max * i) / 4)).filter((t, i, a) => a.indexOf(t) === i);
    return { ticks, domain: [0, ticks[ticks.length - 1]] as [number, number], format: (v: number) => String(v), width: axisWidthFor(ticks.map(String)) };
  }
  const { ticks, lo, hi } = valueTicks(values, s.domain);
  const { labels, decimals } = formatTicks(ticks);
  return { ticks, domain: [lo, hi] as [number, number], format: (v: number) => (Math.abs(v) < 1e-12 ? 0 : v).toFixed(decimals), width: axisWidthFor(labels) };
}

/** Memoised: the iterations panel re-renders on every edit, the timeline only when iterations change. */
export const IterationTimeline = memo(function IterationTimeline({ points, selectedId }: { points: TimelinePoint[]; selectedId: number | null }) {
  const axes = useMemo(() => SERIES.map((s) => yAxisOf(points, s)), [points]);
  return (
    <div className="grid grid-cols-2 gap-3 lg:grid-cols-4" data-testid="iteration-timeline">
      {SERIES.map((s, si) => (
        <div key={s.key} className="text-zinc-600 dark:text-zinc-400">
          <div className="mb-1 flex items-center justify-between text-xs">
            <LegendItem color={s.color} label={`${s.label} (${s.unit})`} />
          </div>
          <ResponsiveContainer width="100%" height={110}>
            <LineChart data={points} margin={{ top: 4, right: 8, bottom: 14, left: 0 }}>
              <CartesianGrid {...gridStroke} vertical={false} />
              <XAxis
                dataKey="label"
                tick={axisTick}
                axisLine={axisLine}
                tickLine={axisLine}
                label={{ value: "iteration", position: "insideBottom", offset: -8, fill: "currentColor", fontSize: 10 }}
              />
              <YAxis
                tick={axisTick}
                axisLine={axisLine}
                tickLine={axisLine}
                width={axes[si].width}
                domain={axes[si].domain}
                ticks={axes[si].ticks}
                tickFormatter={axes[si].format}
                interval={0}
              />
              <Tooltip
                cursor={{ stroke: "currentColor", strokeOpacity: 0.3 }}
                content={({ active, payload }) => {
                  const d = active ? (payload?.[0]?.payload as TimelinePoint | undefined) : undefined;
                  return d ? (
                    <ChartTooltipBox
                      title={`${d.label}${d.note ? ` — ${d.note}` : ""}`}
                      rows={[{ label: `${s.label} (${s.unit})`, value: s.format(d[s.key]), color: s.color }]}
                    />
                  ) : null;
                }}
              />
              <Line
                type="linear"
                dataKey={s.key}
                stroke={s.color}
                strokeWidth={2}
                isAnimationActive={false}
                connectNulls
                dot={(props: { cx?: number; cy?: number; payload?: TimelinePoint; index?: number }) => (
                  <circle
                    key={props.index}
                    cx={props.cx}
                    cy={props.cy}
                    r={props.payload?.id === selectedId ? 5 : 3}
                    fill={s.color}
                    stroke={props.payload?.id === selectedId ? "currentColor" : "none"}
                    strokeWidth={2}
                  />
                )}
              />
            </LineChart>
          </ResponsiveContainer>
        </div>
      ))}
    </div>
  );
});
