"use client";

/**
 * (3) Advantage direction (the paper's Table 1): mean per-turn part AI vs mean final advantage A
 * per tier. A tier whose sign(mean A) differs from sign(ρ) is misaligned: the estimator pushes
 * it against what the outcome says. Misaligned tiers get a red outline and a ✗ on the axis.
 * A checked tier whose mean A is 0 has no direction (e.g. groups of one rollout, where every
 * advantage is 0): grey ○ on the axis, not counted as a mismatch.
 * Redrawn on every edit, so drawn as plain SVG (./svg-bar-chart).
 */
import { ChartFrame, LegendItem } from "@/components/charts/chart-frame";
import { ChartTooltipBox } from "@/components/charts/chart-tooltip";
import type { TierName } from "@/lib/calibration/api-types";
import { ADV_COLOR, AI_COLOR, FAIL_COLOR, fmtSigned, hasNoDirection, NO_DIRECTION_COLOR, type DirectionPoint } from "./series";
import { SvgBarChart, type BarSeries } from "./svg-bar-chart";

const signText = (s: 1 | -1 | null) => (s === 1 ? "+ (rewarded)" : s === -1 ? "− (penalised)" : "skipped (|ρ| ≤ δ)");

const SERIES: BarSeries<DirectionPoint>[] = [
  { key: "mean_ai", value: (p) => p.mean_ai, fill: AI_COLOR },
  { key: "mean_adv", value: (p) => p.mean_adv, fill: ADV_COLOR, stroke: (p) => (p.aligned === false ? { color: FAIL_COLOR, width: 2.5 } : undefined) },
];

const tierTick = (p: DirectionPoint) =>
  p.aligned === false
    ? { text: `✗ ${p.tier}`, fill: FAIL_COLOR, fontWeight: 700 }
    : hasNoDirection(p)
      ? { text: `○ ${p.tier}`, fill: NO_DIRECTION_COLOR }
      : { text: p.tier };
const verdict = (d: DirectionPoint) =>
  d.aligned === false ? "✗ misaligned" : d.aligned ? "✓ aligned" : hasNoDirection(d) ? "○ no direction (mean A = 0)" : "not checked";
const oneDecimal = (v: number) => v.toFixed(1);

function DirectionTooltip({ d }: { d: DirectionPoint }) {
  return (
    <ChartTooltipBox
      title={`${d.tier}: ${verdict(d)}`}
      rows={[
        { label: "mean AI", value: fmtSigned(d.mean_ai, 4), color: AI_COLOR },
        { label: "mean A", value: fmtSigned(d.mean_adv, 4), color: ADV_COLOR },
        { label: "intended sign", value: signText(d.intended_sign) },
        { label: "turns", value: d.n_turns.toLocaleString("en-US") },
      ]}
    />
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
  const none = points.filter(hasNoDirection).map((p) => p.tier);
  return (
    <ChartFrame
      title={`Advantage direction (${estimatorLabel})`}
      testId="chart-direction"
      description={
        <span>
          Mean per-turn part AI vs mean final advantage A over each tier&apos;s turns.{" "}
          <span className={mismatches ? "font-semibold text-red-600 dark:text-red-400" : none.length ? "font-semibold text-zinc-600 dark:text-zinc-400" : "font-semibold text-emerald-700 dark:text-emerald-400"} data-testid="direction-summary">
            {mismatches ? `${mismatches} misaligned: ${bad.join(", ")}` : none.length ? "no tier misaligned" : "all tiers aligned"}
          </span>
          {none.length > 0 && (
            <span className="font-semibold text-zinc-600 dark:text-zinc-400" data-testid="direction-none">
              {" "}· {none.length} without direction (mean A = 0): {none.join(", ")}
            </span>
          )}
        </span>
      }
      legend={
        <span className="flex flex-wrap gap-3">
          <LegendItem color={AI_COLOR} label="mean AI" />
          <LegendItem color={ADV_COLOR} label="mean A" />
          <LegendItem color={FAIL_COLOR} label="✗ misaligned" />
          <LegendItem color={NO_DIRECTION_COLOR} label="○ no direction" />
        </span>
      }
    >
      <SvgBarChart
        points={points}
        category={(p) => p.tier}
        series={SERIES}
        height={230}
        yTickFormat={oneDecimal}
        yLabel="mean advantage (std units)"
        xLabel="tier"
        xTick={tierTick}
        tooltip={(d) => <DirectionTooltip d={d} />}
        onSelect={(p) => onSelectTier(p.tier)}
      />
    </ChartFrame>
  );
}
