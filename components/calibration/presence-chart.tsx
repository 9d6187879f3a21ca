"use client";

/** (2) Presence of each tier in passing vs failing rollouts (the paper's frequency gap). */
import { memo } from "react";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFrame, LegendItem } from "@/components/charts/chart-frame";
import { axisLine, axisTick, ChartTooltipBox, gridStroke } from "@/components/charts/chart-tooltip";
import type { TierName } from "@/lib/calibration/api-types";
import { FAIL_COLOR, fmtPct, fmtShare, PASS_COLOR, type PresencePoint } from "./series";

export const PresenceChart = memo(function PresenceChart({ points, onSelectTier }: { points: PresencePoint[]; onSelectTier: (tier: TierName) => void }) {
  return (
    <ChartFrame
      title="Tier presence: passing vs failing rollouts"
      testId="chart-presence"
      description="P(tier occurs | pass) and P(tier occurs | fail); their gap is the signal ρ measures."
      legend={
        <span className="flex flex-wrap gap-3">
          <LegendItem color={PASS_COLOR} label="passing" />
          <LegendItem color={FAIL_COLOR} label="failing" />
        </span>
      }
    >
      <ResponsiveContainer width="100%" height={230}>
        <BarChart data={points} margin={{ top: 8, right: 12, bottom: 22, left: 4 }} barGap={1}>
          <CartesianGrid {...gridStroke} vertical={false} />
          <XAxis
            dataKey="tier"
            tick={axisTick}
            axisLine={axisLine}
            tickLine={axisLine}
            interval={0}
            label={{ value: "tier", position: "insideBottom", offset: -14, fill: "currentColor", fontSize: 12 }}
          />
          <YAxis
            domain={[0, 100]}
            tick={axisTick}
            axisLine={axisLine}
            tickLine={axisLine}
            width={44}
            label={{ value: "rollouts with tier (%)", angle: -90, position: "insideLeft", offset: 8, fill: "currentColor", fontSize: 12, style: { textAnchor: "middle" } }}
          />
          <Tooltip
            cursor={{ fill: "currentColor", fillOpacity: 0.08 }}
            content={({ active, payload }) => {
              const d = active ? (payload?.[0]?.payload as PresencePoint | undefined) : undefined;
              if (!d) return null;
              return (
                <ChartTooltipBox
                  title={d.tier}
                  rows={[
                    { label: "P(present | pass)", value: fmtPct(d.pass, 2), color: PASS_COLOR },
                    { label: "P(present | fail)", value: fmtPct(d.fail, 2), color: FAIL_COLOR },
                    { label: "gap", value: d.gap_pp === null ? "n/a" : `${d.gap_pp > 0 ? "+" : ""}${d.gap_pp.toFixed(2)} pp` },
                    { label: "occurrences in passing", value: fmtShare(d.share_pass) },
                  ]}
                />
              );
            }}
          />
          <Bar dataKey="pass" name="passing" fill={PASS_COLOR} isAnimationActive={false} cursor="pointer" onClick={(_, i) => onSelectTier(points[i].tier)} />
          <Bar dataKey="fail" name="failing" fill={FAIL_COLOR} isAnimationActive={false} cursor="pointer" onClick={(_, i) => onSelectTier(points[i].tier)} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
});
