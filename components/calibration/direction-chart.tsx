"use client";

/**
 * (3) Advantage direction (the paper's Table 1): mean per-turn part AI vs mean final advantage A
 * per tier. A tier whose sign(mean A) differs from sign(ρ) is misaligned: the estimator pushes
 * it against what the outcome says. Misaligned tiers get a red outline and a ✗ on the axis.
 */
import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFrame, LegendItem } from "@/components/charts/chart-frame";
import { axisLine, axisTick, ChartTooltipBox, gridStroke } from "@/components/charts/chart-tooltip";
import type { TierName } from "@/lib/calibration/api-types";
import { ADV_COLOR, AI_COLOR, FAIL_COLOR, fmtSigned, type DirectionPoint } from "./series";

const signText = (s: 1 | -1 | null) => (s === 1 ? "+ (rewarded)" : s === -1 ? "− (penalised)" : "skipped (|ρ| ≤ δ)");

function TierTick({ x, y, payload, points }: { x?: number; y?: number; payload?: { value: string }; points: DirectionPoint[] }) {
  const p = points.find((d) => d.tier === payload?.value);
  const bad = p?.aligned === false;
  return (
    <text x={x} y={(y ?? 0) + 12} textAnchor="middle" fontSize={11} fill={bad ? FAIL_COLOR : "currentColor"} fontWeight={bad ? 700 : 400}>
      {bad ? `✗ ${payload?.value}` : payload?.value}
    </text>
  );
}

export function DirectionChart({
  points,
  estimatorLabel,
  mismatches,
  onSelectTier,
}: {
  points: DirectionPoint[];
  estimatorLabel: string;
  mismatches: number;
  onSelectTier: (tier: TierName) => void;
}) {
  const bad = points.filter((p) => p.aligned === false).map((p) => p.tier);
  return (
    <ChartFrame
      title={`Advantage direction (${estimatorLabel})`}
      testId="chart-direction"
      description={
        <span>
          Mean per-turn part AI vs mean final advantage A over each tier&apos;s turns.{" "}
          <span className={mismatches ? "font-semibold text-red-600 dark:text-red-400" : "font-semibold text-emerald-700 dark:text-emerald-400"} data-testid="direction-summary">
            {mismatches ? `${mismatches} misaligned: ${bad.join(", ")}` : "all tiers aligned"}
          </span>
        </span>
      }
      legend={
        <span className="flex flex-wrap gap-3">
          <LegendItem color={AI_COLOR} label="mean AI" />
          <LegendItem color={ADV_COLOR} label="mean A" />
          <LegendItem color={FAIL_COLOR} label="✗ misaligned" />
        </span>
      }
    >
      <ResponsiveContainer width="100%" height={230}>
        <BarChart data={points} margin={{ top: 8, right: 12, bottom: 22, left: 4 }} barGap={1}>
          <CartesianGrid {...gridStroke} vertical={false} />
          <ReferenceLine y={0} stroke="currentColor" strokeOpacity={0.5} />
          <XAxis
            dataKey="tier"
            interval={0}
            axisLine={axisLine}
            tickLine={axisLine}
            tick={<TierTick points={points} />}
            label={{ value: "tier", position: "insideBottom", offset: -14, fill: "currentColor", fontSize: 12 }}
          />
          <YAxis
            tick={axisTick}
            axisLine={axisLine}
            tickLine={axisLine}
            width={44}
            tickFormatter={(v: number) => v.toFixed(1)}
            label={{ value: "mean advantage (std units)", angle: -90, position: "insideLeft", offset: 8, fill: "currentColor", fontSize: 12, style: { textAnchor: "middle" } }}
          />
          <Tooltip
            cursor={{ fill: "currentColor", fillOpacity: 0.08 }}
            content={({ active, payload }) => {
              const d = active ? (payload?.[0]?.payload as DirectionPoint | undefined) : undefined;
              if (!d) return null;
              return (
                <ChartTooltipBox
                  title={`${d.tier}: ${d.aligned === false ? "✗ misaligned" : d.aligned ? "✓ aligned" : "not checked"}`}
                  rows={[
                    { label: "mean AI", value: fmtSigned(d.mean_ai, 4), color: AI_COLOR },
                    { label: "mean A", value: fmtSigned(d.mean_adv, 4), color: ADV_COLOR },
                    { label: "intended sign", value: signText(d.intended_sign) },
                    { label: "turns", value: d.n_turns.toLocaleString("en-US") },
                  ]}
                />
              );
            }}
          />
          <Bar dataKey="mean_ai" name="mean AI" fill={AI_COLOR} isAnimationActive={false} cursor="pointer" onClick={(_, i) => onSelectTier(points[i].tier)} />
          <Bar dataKey="mean_adv" name="mean A" isAnimationActive={false} cursor="pointer" onClick={(_, i) => onSelectTier(points[i].tier)}>
            {points.map((p) => (
              <Cell key={p.tier} fill={ADV_COLOR} stroke={p.aligned === false ? FAIL_COLOR : undefined} strokeWidth={p.aligned === false ? 2.5 : 0} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
