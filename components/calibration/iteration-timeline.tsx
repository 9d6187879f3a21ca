"use client";

/** The iteration timeline as four small charts (each metric keeps its own unit and axis). */
import { memo } from "react";
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { LegendItem } from "@/components/charts/chart-frame";
import { axisLine, axisTick, ChartTooltipBox, gridStroke } from "@/components/charts/chart-tooltip";
import { fmt, fmtPct, type TimelinePoint } from "./series";

const SERIES: { key: "mismatches" | "corr" | "dead" | "pass"; label: string; unit: string; color: string; format: (v: number | null) => string; domain?: [number, number] }[] = [
  { key: "mismatches", label: "mismatches", unit: "tiers", color: "#ef4444", format: (v) => (v === null ? "n/a" : String(v)) },
  { key: "corr", label: "Corr(r̄, o)", unit: "r", color: "#6366f1", format: (v) => fmt(v, 3), domain: [-1, 1] },
  { key: "dead", label: "dead turns", unit: "%", color: "#71717a", format: (v) => fmtPct(v, 1) },
  { key: "pass", label: "pass rate", unit: "%", color: "#10b981", format: (v) => fmtPct(v, 1), domain: [0, 100] },
];

/** Memoised: the iterations panel re-renders on every edit, the timeline only when iterations change. */
export const IterationTimeline = memo(function IterationTimeline({ points, selectedId }: { points: TimelinePoint[]; selectedId: number | null }) {
  return (
    <div className="grid grid-cols-2 gap-3 lg:grid-cols-4" data-testid="iteration-timeline">
      {SERIES.map((s) => (
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
                width={34}
                domain={s.domain ?? [0, "auto"]}
                allowDecimals={s.key !== "mismatches"}
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
