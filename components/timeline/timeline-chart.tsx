"use client";

/**
 * One chart of the run timeline: series over training steps (x = first step of each point), with
 * an optional confidence band and a second y axis. Clicking anywhere on a point's column calls
 * `onPoint` with its index (the page opens the workbench on those steps).
 */
import { memo, useMemo } from "react";
import { Area, CartesianGrid, ComposedChart, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartEmpty, ChartFrame, LegendItem } from "@/components/charts/chart-frame";
import { axisLine, axisTick, ChartTooltipBox, gridStroke } from "@/components/charts/chart-tooltip";

export interface TimelineSeries {
  key: string;
  label: string;
  color: string;
  unit?: string;
  /** "step": a count that holds until the next point (drawn as a staircase). */
  kind?: "line" | "step";
  axis?: "left" | "right";
  /** Drawn dashed, so a series that often equals another stays visible on top of it. */
  dashed?: boolean;
}

type Point = Record<string, number | string | null>;

const fmt = (v: unknown, unit = "") => (typeof v === "number" ? `${Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3).replace(/\.?0+$/, "")}${unit}` : "n/a");

export const TimelineChart = memo(function TimelineChart({
  title,
  description,
  testId,
  points,
  series,
  yLabel,
  y2Label,
  yDomain,
  band,
  zeroLine,
  empty,
  onPoint,
  className,
}: {
  title: string;
  description: string;
  testId: string;
  points: Point[];
  series: TimelineSeries[];
  yLabel: string;
  y2Label?: string;
  yDomain?: [number, number];
  band?: { lo: string; hi: string; color: string };
  zeroLine?: boolean;
  empty?: string;
  onPoint: (index: number) => void;
  className?: string;
}) {
  // A range Area reads [low, high] pairs.
  const data = useMemo<Record<string, unknown>[]>(
    () => (band ? points.map((p) => ({ ...p, __band: p[band.lo] !== null && p[band.hi] !== null ? [p[band.lo], p[band.hi]] : null })) : points),
    [points, band],
  );
  const right = series.some((s) => s.axis === "right");
  return (
    <ChartFrame
      title={title}
      description={description}
      testId={testId}
      className={className}
      legend={
        <span className="flex max-w-[22rem] flex-wrap justify-end gap-x-3 gap-y-1">
          {series.map((s) => (
            <LegendItem key={s.key} color={s.color} label={s.label} />
          ))}
        </span>
      }
    >
      {empty ? (
        <ChartEmpty>{empty}</ChartEmpty>
      ) : (
        <ResponsiveContainer width="100%" height={240}>
          <ComposedChart
            data={data}
            margin={{ top: 8, right: right ? 4 : 12, bottom: 22, left: 4 }}
            onClick={(state) => {
              const i = Number((state as { activeTooltipIndex?: number | string | null } | null)?.activeTooltipIndex);
              if (Number.isInteger(i) && i >= 0 && i < points.length) onPoint(i);
            }}
            style={{ cursor: "pointer" }}
          >
            <CartesianGrid {...gridStroke} />
            {zeroLine ? <ReferenceLine yAxisId="left" y={0} stroke="currentColor" strokeOpacity={0.5} /> : null}
            <XAxis
              dataKey="step"
              type="number"
              domain={["dataMin", "dataMax"]}
              allowDecimals={false}
              tick={axisTick}
              axisLine={axisLine}
              tickLine={axisLine}
              label={{ value: "training step", position: "insideBottom", offset: -14, fill: "currentColor", fontSize: 12 }}
            />
            <YAxis
              yAxisId="left"
              domain={yDomain ?? ["auto", "auto"]}
              tick={axisTick}
              axisLine={axisLine}
              tickLine={axisLine}
              width={48}
              label={{ value: yLabel, angle: -90, position: "insideLeft", offset: 8, fill: "currentColor", fontSize: 12, style: { textAnchor: "middle" } }}
            />
            {right ? (
              <YAxis
                yAxisId="right"
                orientation="right"
                domain={[0, 100]}
                tick={axisTick}
                axisLine={axisLine}
                tickLine={axisLine}
                width={48}
                label={{ value: y2Label ?? "", angle: 90, position: "insideRight", offset: 8, fill: "currentColor", fontSize: 12, style: { textAnchor: "middle" } }}
              />
            ) : null}
            <Tooltip
              content={({ active, payload }) => {
                const p = active ? (payload?.[0]?.payload as Point | undefined) : undefined;
                if (!p) return null;
                return (
                  <ChartTooltipBox
                    title={`${p.label} · ${Number(p.rollouts).toLocaleString("en-US")} rollouts`}
                    rows={[
                      ...series.map((s) => ({ label: s.label, value: fmt(p[s.key], s.unit), color: s.color })),
                      ...(band ? [{ label: "95% CI", value: p[band.lo] === null ? "n/a" : `[${fmt(p[band.lo])}, ${fmt(p[band.hi])}]` }] : []),
                    ]}
                  />
                );
              }}
            />
            {band ? (
              <Area yAxisId="left" dataKey="__band" stroke="none" fill={band.color} fillOpacity={0.18} isAnimationActive={false} connectNulls={false} />
            ) : null}
            {series.map((s) => (
              <Line
                key={s.key}
                yAxisId={s.axis ?? "left"}
                type={s.kind === "step" ? "stepAfter" : "linear"}
                dataKey={s.key}
                name={s.label}
                stroke={s.color}
                strokeWidth={1.75}
                strokeDasharray={s.dashed ? "5 4" : undefined}
                dot={points.length <= 60 ? { r: 2.5 } : false}
                activeDot={{ r: 4 }}
                connectNulls
                isAnimationActive={false}
              />
            ))}
          </ComposedChart>
        </ResponsiveContainer>
      )}
    </ChartFrame>
  );
});
