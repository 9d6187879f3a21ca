"use client";

/** (6) Where the gradient goes: share of Σ|A|·tokens per tier over live turns, plus the dead-turn shares. */
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFrame, LegendItem } from "@/components/charts/chart-frame";
import { axisLine, axisTick, ChartTooltipBox, gridStroke } from "@/components/charts/chart-tooltip";
import type { TierName } from "@/lib/calibration/api-types";
import { fmtPct, TIER_COLORS, type GradientPoint } from "./series";

export function GradientChart({
  points,
  deadPct,
  deadCancelPct,
  weighting,
  onSelectTier,
}: {
  points: GradientPoint[];
  deadPct: number | null;
  deadCancelPct: number | null;
  weighting: "tokens" | "turns" | "mixed";
  onSelectTier: (tier: TierName) => void;
}) {
  const unit = weighting === "turns" ? "|A| per turn" : "|A|·tokens";
  return (
    <ChartFrame
      title="Gradient share by tier"
      testId="chart-gradient"
      description={`Share of Σ ${unit} over live turns (weighting: ${weighting}).`}
      legend={<LegendItem color="#6366f1" label="share (bar colour = tier)" />}
    >
      <div className="mb-2 flex flex-wrap gap-2 text-xs">
        <span className="rounded-md bg-zinc-100 px-2 py-1 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200">
          dead turns (|A| &lt; 1e-9): <b className="font-mono tabular-nums" data-testid="dead-pct">{fmtPct(deadPct, 2)}</b>
        </span>
        <span className="rounded-md bg-zinc-100 px-2 py-1 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200">
          cancelled at position (ΣA ≈ 0): <b className="font-mono tabular-nums">{fmtPct(deadCancelPct, 2)}</b>
        </span>
      </div>
      <ResponsiveContainer width="100%" height={200}>
        <BarChart data={points} margin={{ top: 8, right: 12, bottom: 22, left: 4 }}>
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
            domain={[0, (max: number) => Math.min(100, Math.ceil(Math.max(10, max) / 10) * 10)]}
            tick={axisTick}
            axisLine={axisLine}
            tickLine={axisLine}
            width={44}
            label={{ value: "gradient share (%)", angle: -90, position: "insideLeft", offset: 8, fill: "currentColor", fontSize: 12, style: { textAnchor: "middle" } }}
          />
          <Tooltip
            cursor={{ fill: "currentColor", fillOpacity: 0.08 }}
            content={({ active, payload }) => {
              const d = active ? (payload?.[0]?.payload as GradientPoint | undefined) : undefined;
              return d ? <ChartTooltipBox title={d.tier} rows={[{ label: "gradient share", value: fmtPct(d.share, 2), color: TIER_COLORS[d.tier] }]} /> : null;
            }}
          />
          <Bar dataKey="share" name="gradient share" isAnimationActive={false} cursor="pointer" onClick={(_, i) => onSelectTier(points[i].tier)}>
            {points.map((p) => (
              <Cell key={p.tier} fill={TIER_COLORS[p.tier]} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
