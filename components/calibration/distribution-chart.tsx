"use client";

/**
 * (4) Distribution of per-turn final advantages A: turns of passing vs failing rollouts.
 * Redrawn on every edit (80 bars), so drawn as plain SVG (./svg-bar-chart).
 */
import { ChartEmpty, ChartFrame, LegendItem } from "@/components/charts/chart-frame";
import { ChartTooltipBox } from "@/components/charts/chart-tooltip";
import type { AdvantageDistribution } from "@/lib/calibration/api-types";
import { FAIL_COLOR, fmt, fmtSigned, PASS_COLOR, type DistributionPoint } from "./series";
import { SvgBarChart, type BarSeries } from "./svg-bar-chart";

const SERIES: BarSeries<DistributionPoint>[] = [
  { key: "pass", value: (p) => p.pass, fill: PASS_COLOR, fillOpacity: 0.85 },
  { key: "fail", value: (p) => p.fail, fill: FAIL_COLOR, fillOpacity: 0.85 },
];

/**
 * Label every 4th bin edge. The bins split ±clip (a multiple of 0.5) into 40, so every 4th edge
 * is a multiple of clip / 5 and includes 0; 10 labels fit the half-width chart.
 */
const BIN_LABEL_EVERY = 4;

const edgeTick = (p: DistributionPoint) => ({ text: fmt(p.lo, 1) });

function DistributionTooltip({ d }: { d: DistributionPoint }) {
  return (
    <ChartTooltipBox
      title={`A in [${fmt(d.lo, 3)}, ${fmt(d.hi, 3)})`}
      rows={[
        { label: "passing", value: `${d.passCount.toLocaleString("en-US")} (${d.pass.toFixed(2)}%)`, color: PASS_COLOR },
        { label: "failing", value: `${d.failCount.toLocaleString("en-US")} (${d.fail.toFixed(2)}%)`, color: FAIL_COLOR },
      ]}
    />
  );
}

export function DistributionChart({ points, summary }: { points: DistributionPoint[]; summary: AdvantageDistribution | undefined }) {
  // The bin that holds 0, marked with a dashed line.
  const zero = points.findIndex((p) => p.lo <= 0 && 0 < p.hi);
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
        <SvgBarChart
          points={points}
          category={(p) => p.label}
          series={SERIES}
          height={230}
          barGap={0}
          categoryGap={1}
          yLabel="turns (% of side)"
          xLabel="final advantage A (std units, bin lower edge)"
          xTick={edgeTick}
          xTickEvery={BIN_LABEL_EVERY}
          markerAt={zero}
          tooltip={(d) => <DistributionTooltip d={d} />}
        />
      )}
    </ChartFrame>
  );
}
