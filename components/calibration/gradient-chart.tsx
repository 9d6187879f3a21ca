"use client";

/**
 * (6) Where the gradient goes: share of Σ|A|·tokens per tier over live turns, plus the dead-turn
 * shares. Redrawn on every edit, so drawn as plain SVG (./svg-bar-chart).
 */
import { ChartFrame, LegendItem } from "@/components/charts/chart-frame";
import { ChartTooltipBox } from "@/components/charts/chart-tooltip";
import type { TierName } from "@/lib/calibration/api-types";
import { fmtPct, TIER_COLORS, type GradientPoint } from "./series";
import { SvgBarChart, type BarSeries } from "./svg-bar-chart";

const SERIES: BarSeries<GradientPoint>[] = [{ key: "share", value: (p) => p.share, fill: (p) => TIER_COLORS[p.tier] }];

/** Up to the next 10% above the largest share (at least 10%, at most 100%). */
function shareDomain(points: GradientPoint[]): [number, number] {
  const max = Math.max(0, ...points.map((p) => p.share ?? 0));
  return [0, Math.min(100, Math.ceil(Math.max(10, max) / 10) * 10)];
}

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
      <SvgBarChart
        points={points}
        category={(p) => p.tier}
        series={SERIES}
        height={200}
        domain={shareDomain(points)}
        yLabel="gradient share (%)"
        xLabel="tier"
        tooltip={(d) => <ChartTooltipBox title={d.tier} rows={[{ label: "gradient share", value: fmtPct(d.share, 2), color: TIER_COLORS[d.tier] }]} />}
        onSelect={(p) => onSelectTier(p.tier)}
      />
    </ChartFrame>
  );
}
