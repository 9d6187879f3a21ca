"use client";

import { Bar, BarChart, CartesianGrid, Rectangle, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { BarShapeProps } from "recharts";
import { ChartEmpty, ChartFrame, LegendItem } from "./chart-frame";
import { axisLine, axisTick, ChartTooltipBox, gridStroke, SERIES_COLORS } from "./chart-tooltip";

export interface BarListItem {
  label: string;
  value: number;
  /** Optional per-bar colour (e.g. red for error terminations). */
  color?: string;
}

/** Horizontal bars for counts per category (termination reasons, policy rules). */
export function BarListChart({
  title,
  description,
  items,
  valueLabel,
  color = SERIES_COLORS.primary,
  emptyText,
  testId,
}: {
  title: string;
  description?: string;
  items: readonly BarListItem[];
  /** What the value axis counts, with its unit ("rollouts"). */
  valueLabel: string;
  color?: string;
  emptyText?: string;
  testId?: string;
}) {
  const data = items.map((i) => ({ ...i, fill: i.color ?? color }));
  const total = items.reduce((s, i) => s + i.value, 0);
  const longest = items.reduce((m, i) => Math.max(m, i.label.length), 0);
  const height = Math.max(120, data.length * 30 + 48);
  return (
    <ChartFrame title={title} description={description} testId={testId} legend={<LegendItem color={color} label={valueLabel} />}>
      {data.length === 0 ? (
        <ChartEmpty>{emptyText}</ChartEmpty>
      ) : (
        <ResponsiveContainer width="100%" height={height}>
          <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 20, left: 8 }}>
            <CartesianGrid {...gridStroke} horizontal={false} />
            <XAxis
              type="number"
              allowDecimals={false}
              tick={axisTick}
              axisLine={axisLine}
              tickLine={axisLine}
              label={{ value: valueLabel, position: "insideBottom", offset: -12, fill: "currentColor", fontSize: 12 }}
            />
            <YAxis
              type="category"
              dataKey="label"
              tick={axisTick}
              axisLine={axisLine}
              tickLine={false}
              width={Math.min(260, Math.max(100, longest * 7.5 + 24))}
            />
            <Tooltip
              cursor={{ fill: "currentColor", fillOpacity: 0.08 }}
              content={({ active, payload }) => {
                const d = active ? (payload?.[0]?.payload as (typeof data)[number] | undefined) : undefined;
                if (!d) return null;
                const share = total > 0 ? ` (${((d.value / total) * 100).toFixed(1)}%)` : "";
                return <ChartTooltipBox title={d.label} rows={[{ label: valueLabel, value: `${d.value}${share}`, color: d.fill }]} />;
              }}
            />
            <Bar
              dataKey="value"
              name={valueLabel}
              radius={[0, 2, 2, 0]}
              isAnimationActive={false}
              shape={(props: BarShapeProps) => <Rectangle {...props} fill={data[props.index]?.fill ?? color} />}
            />
          </BarChart>
        </ResponsiveContainer>
      )}
    </ChartFrame>
  );
}
