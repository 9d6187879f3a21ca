"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { HistogramBin } from "./bins";
import { formatBinLabel } from "./bins";
import { ChartEmpty, ChartFrame, LegendItem } from "./chart-frame";
import { axisLine, axisTick, ChartTooltipBox, gridStroke, SERIES_COLORS } from "./chart-tooltip";

/**
 * A histogram from pre-computed bins (see bins.ts). `unit` names what x measures, for the
 * axis label ("turns", "tokens"); `countLabel` what the bars count ("rollouts").
 */
export function HistogramChart({
  title,
  description,
  bins,
  xLabel,
  countLabel = "rollouts",
  color = SERIES_COLORS.primary,
  formatX = (v: number) => v.toLocaleString("en-US"),
  height = 220,
  integer = false,
  testId,
}: {
  title: string;
  description?: string;
  bins: readonly HistogramBin[];
  xLabel: string;
  countLabel?: string;
  color?: string;
  formatX?: (v: number) => string;
  height?: number;
  /** x takes whole numbers only (turns): bin labels show inclusive integer ranges. */
  integer?: boolean;
  testId?: string;
}) {
  const data = bins.map((b, i) => ({ label: formatBinLabel(b, formatX, { integer, last: i === bins.length - 1 }), count: b.count }));
  const total = bins.reduce((s, b) => s + b.count, 0);
  return (
    <ChartFrame title={title} description={description} testId={testId} legend={<LegendItem color={color} label={countLabel} />}>
      {data.length === 0 ? (
        <ChartEmpty />
      ) : (
        <ResponsiveContainer width="100%" height={height}>
          <BarChart data={data} margin={{ top: 8, right: 12, bottom: 20, left: 8 }} barCategoryGap={1}>
            <CartesianGrid {...gridStroke} vertical={false} />
            <XAxis
              dataKey="label"
              tick={axisTick}
              axisLine={axisLine}
              tickLine={axisLine}
              interval="preserveStartEnd"
              minTickGap={8}
              label={{ value: xLabel, position: "insideBottom", offset: -12, fill: "currentColor", fontSize: 12 }}
            />
            <YAxis
              allowDecimals={false}
              tick={axisTick}
              axisLine={axisLine}
              tickLine={axisLine}
              width={48}
              label={{ value: countLabel, angle: -90, position: "insideLeft", offset: 10, fill: "currentColor", fontSize: 12, style: { textAnchor: "middle" } }}
            />
            <Tooltip
              cursor={{ fill: "currentColor", fillOpacity: 0.08 }}
              content={({ active, payload }) => {
                const d = active ? (payload?.[0]?.payload as (typeof data)[number] | undefined) : undefined;
                if (!d) return null;
                const share = total > 0 ? ` (${((d.count / total) * 100).toFixed(1)}%)` : "";
                return <ChartTooltipBox title={`${xLabel}: ${d.label}`} rows={[{ label: countLabel, value: `${d.count}${share}`, color }]} />;
              }}
            />
            <Bar dataKey="count" name={countLabel} fill={color} radius={[2, 2, 0, 0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      )}
    </ChartFrame>
  );
}
