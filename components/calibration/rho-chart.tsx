"use client";

/** (1) Discriminativeness: point-biserial rho per tier with its 95% Fisher CI and the ±δ dead band. */
import { memo } from "react";
import { Bar, BarChart, CartesianGrid, Cell, ErrorBar, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFrame, LegendItem } from "@/components/charts/chart-frame";
import { axisLine, axisTick, ChartTooltipBox, gridStroke } from "@/components/charts/chart-tooltip";
import type { TierName } from "@/lib/calibration/api-types";
import { fmt, fmtP, TIER_COLORS, type RhoPoint } from "./series";

export const RhoChart = memo(function RhoChart({
  points,
  delta,
  nRollouts,
  selected,
  onSelectTier,
}: {
  points: RhoPoint[];
  delta: number;
  nRollouts: number;
  selected: TierName | null;
  onSelectTier: (tier: TierName) => void;
}) {
  const na = points.filter((p) => p.rho === null).map((p) => p.tier);
  return (
    <ChartFrame
      title="Discriminativeness ρ per tier"
      testId="chart-rho"
      description={`Point-biserial ρ(tier present, outcome) over ${nRollouts.toLocaleString("en-US")} rollouts; whiskers = 95% CI. Click a bar for its turns.`}
      legend={
        <span className="flex flex-wrap gap-3">
          <LegendItem color="#6366f1" label="ρ (bar colour = tier)" />
          <LegendItem color="rgba(148,163,184,0.35)" label={`±δ = ${fmt(delta, 2)} (skipped)`} />
        </span>
      }
    >
      <ResponsiveContainer width="100%" height={230}>
        <BarChart data={points} margin={{ top: 8, right: 12, bottom: 22, left: 4 }}>
          <CartesianGrid {...gridStroke} vertical={false} />
          <ReferenceArea y1={-delta} y2={delta} fill="#94a3b8" fillOpacity={0.25} ifOverflow="extendDomain" />
          <ReferenceLine y={0} stroke="currentColor" strokeOpacity={0.5} />
          <XAxis
            dataKey="tier"
            tick={axisTick}
            axisLine={axisLine}
            tickLine={axisLine}
            interval={0}
            label={{ value: "tier", position: "insideBottom", offset: -14, fill: "currentColor", fontSize: 12 }}
          />
          <YAxis
            domain={[-1, 1]}
            ticks={[-1, -0.5, 0, 0.5, 1]}
            tick={axisTick}
            axisLine={axisLine}
            tickLine={axisLine}
            width={44}
            label={{ value: "ρ (−1…1)", angle: -90, position: "insideLeft", offset: 8, fill: "currentColor", fontSize: 12, style: { textAnchor: "middle" } }}
          />
          <Tooltip
            cursor={{ fill: "currentColor", fillOpacity: 0.08 }}
            content={({ active, payload }) => {
              const d = active ? (payload?.[0]?.payload as RhoPoint | undefined) : undefined;
              if (!d) return null;
              return (
                <ChartTooltipBox
                  title={`${d.tier}${d.within_delta ? " (|ρ| ≤ δ: skipped)" : ""}`}
                  rows={[
                    { label: "ρ", value: fmt(d.rho, 4), color: TIER_COLORS[d.tier] },
                    { label: "95% CI", value: d.ci ? `[${fmt(d.ci[0], 4)}, ${fmt(d.ci[1], 4)}]` : "n/a" },
                    { label: "p", value: fmtP(d.p) },
                    { label: "rollouts with tier", value: d.n_present.toLocaleString("en-US") },
                  ]}
                />
              );
            }}
          />
          <Bar dataKey="rho" name="ρ" isAnimationActive={false} cursor="pointer" onClick={(_, i) => onSelectTier(points[i].tier)}>
            {points.map((p) => (
              <Cell
                key={p.tier}
                fill={TIER_COLORS[p.tier]}
                fillOpacity={p.within_delta ? 0.45 : 0.9}
                stroke={selected === p.tier ? "currentColor" : undefined}
                strokeWidth={selected === p.tier ? 2 : 0}
              />
            ))}
            <ErrorBar dataKey="err" width={8} strokeWidth={1.5} stroke="currentColor" direction="y" />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
      {na.length ? <p className="mt-1 text-xs">ρ n/a (tier never/always present or outcome constant): {na.join(", ")}</p> : null}
    </ChartFrame>
  );
});
