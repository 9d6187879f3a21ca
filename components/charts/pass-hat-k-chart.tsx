"use client";

import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartEmpty, ChartFrame, LegendItem } from "./chart-frame";
import { axisLine, axisTick, ChartTooltipBox, gridStroke, SERIES_COLORS } from "./chart-tooltip";

export interface PassHatKPoint {
  k: number;
  /** Mean over tasks of C(c,k)/C(n,k), in [0, 1]. */
  value: number;
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/** pass^k against k: the chance that k independent samples of a task all succeed. */
export function PassHatKChart({ points, title = "pass^k", height = 240 }: { points: readonly PassHatKPoint[]; title?: string; height?: number }) {
  const data = points.map((p) => ({ k: p.k, value: p.value }));
  return (
    <ChartFrame
      title={title}
      testId="chart-pass-hat-k"
      description="Mean over tasks of the probability that k samples all pass."
      legend={<LegendItem color={SERIES_COLORS.primary} label="pass^k" />}
    >
      {data.length === 0 ? (
        <ChartEmpty />
      ) : (
        <ResponsiveContainer width="100%" height={height}>
          <LineChart data={data} margin={{ top: 8, right: 16, bottom: 20, left: 8 }}>
            <CartesianGrid {...gridStroke} vertical={false} />
            <XAxis
              dataKey="k"
              type="number"
              domain={[1, Math.max(1, data.length)]}
              ticks={data.map((d) => d.k)}
              allowDecimals={false}
              tick={axisTick}
              axisLine={axisLine}
              tickLine={axisLine}
              label={{ value: "k (samples per task)", position: "insideBottom", offset: -12, fill: "currentColor", fontSize: 12 }}
            />
            <YAxis
              domain={[0, 1]}
              tickFormatter={(v: number) => `${Math.round(v * 100)}`}
              tick={axisTick}
              axisLine={axisLine}
              tickLine={axisLine}
              width={48}
              label={{ value: "pass^k (%)", angle: -90, position: "insideLeft", offset: 10, fill: "currentColor", fontSize: 12, style: { textAnchor: "middle" } }}
            />
            <Tooltip
              cursor={{ stroke: "currentColor", strokeOpacity: 0.3 }}
              content={({ active, payload }) => {
                const d = active ? (payload?.[0]?.payload as (typeof data)[number] | undefined) : undefined;
                return d ? <ChartTooltipBox title={`k = ${d.k}`} rows={[{ label: "pass^k", value: pct(d.value), color: SERIES_COLORS.primary }]} /> : null;
              }}
            />
            <Line
              type="monotone"
              dataKey="value"
              name="pass^k"
              stroke={SERIES_COLORS.primary}
              strokeWidth={2}
              dot={{ r: 3, fill: SERIES_COLORS.primary }}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      )}
    </ChartFrame>
  );
}
