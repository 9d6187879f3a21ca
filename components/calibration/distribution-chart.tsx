"use client";

/** (4) Distribution of per-turn final advantages A: turns of passing vs failing rollouts. */
import { Bar, BarChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartEmpty, ChartFrame, LegendItem } from "@/components/charts/chart-frame";
import { axisLine, axisTick, ChartTooltipBox, gridStroke } from "@/components/charts/chart-tooltip";
import type { AdvantageDistribution } from "@/lib/calibration/api-types";
import { FAIL_COLOR, fmt, fmtSigned, PASS_COLOR, type DistributionPoint } from "./series";

export function DistributionChart({ points, summary }: { points: DistributionPoint[]; summary: AdvantageDistribution | undefined }) {
  // The bin that holds 0, for a reference line on the category axis.
  const zero = points.find((p) => p.lo <= 0 && 0 < p.hi)?.label;
  const lowerEdge = new Map(points.map((p) => [p.label, p.lo]));
  return (
    <ChartFrame
      title="Turn advantages: passing vs failing"
      testId="chart-distribution"
      description={
        summary
          ? `Share of each side's turns per bin of A. Mean A: pass ${fmtSigned(summary.pass.mean, 3)} (n = ${summary.pass.n.toLocaleString("en-US")}), fail ${fmtSigned(summary.fail.mean, 3)} (n = ${summary.fail.n.toLocaleString("en-US")}); outer bins hold |A| ≥ ${fmt(summary.clip, 1)}.`
          : "Share of each side's turns per bin of A."
      }
      legend={
        <span className="flex flex-wrap gap-3">
          <LegendItem color={PASS_COLOR} label="passing rollouts" />
          <LegendItem color={FAIL_COLOR} label="failing rollouts" />
        </span>
      }
    >
      {points.length === 0 ? (
        <ChartEmpty />
      ) : (
        <ResponsiveContainer width="100%" height={230}>
          <BarChart data={points} margin={{ top: 8, right: 12, bottom: 22, left: 4 }} barGap={0} barCategoryGap={1}>
            <CartesianGrid {...gridStroke} vertical={false} />
            {zero ? <ReferenceLine x={zero} stroke="currentColor" strokeOpacity={0.4} strokeDasharray="3 3" /> : null}
            <XAxis
              dataKey="label"
              tick={axisTick}
              axisLine={axisLine}
              tickLine={axisLine}
              interval="preserveStartEnd"
              minTickGap={24}
              tickFormatter={(label: string) => fmt(lowerEdge.get(label), 1)}
              label={{ value: "final advantage A (std units, bin lower edge)", position: "insideBottom", offset: -14, fill: "currentColor", fontSize: 12 }}
            />
            <YAxis
              tick={axisTick}
              axisLine={axisLine}
              tickLine={axisLine}
              width={44}
              tickFormatter={(v: number) => `${v}`}
              label={{ value: "turns (% of side)", angle: -90, position: "insideLeft", offset: 8, fill: "currentColor", fontSize: 12, style: { textAnchor: "middle" } }}
            />
            <Tooltip
              cursor={{ fill: "currentColor", fillOpacity: 0.08 }}
              content={({ active, payload }) => {
                const d = active ? (payload?.[0]?.payload as DistributionPoint | undefined) : undefined;
                if (!d) return null;
                return (
                  <ChartTooltipBox
                    title={`A in [${fmt(d.lo, 3)}, ${fmt(d.hi, 3)})`}
                    rows={[
                      { label: "passing", value: `${d.passCount.toLocaleString("en-US")} (${d.pass.toFixed(2)}%)`, color: PASS_COLOR },
                      { label: "failing", value: `${d.failCount.toLocaleString("en-US")} (${d.fail.toFixed(2)}%)`, color: FAIL_COLOR },
                    ]}
                  />
                );
              }}
            />
            <Bar dataKey="pass" name="passing" fill={PASS_COLOR} fillOpacity={0.85} isAnimationActive={false} />
            <Bar dataKey="fail" name="failing" fill={FAIL_COLOR} fillOpacity={0.85} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      )}
    </ChartFrame>
  );
}
