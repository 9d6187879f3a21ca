"use client";

/** The workbench's chart column: everything drawn from one analysis result. */
import { memo, useCallback, useMemo } from "react";
import type { AnalysisResponse, RewardConfig, TierName } from "@/lib/calibration/api-types";
import type { Selection } from "@/lib/calibration/url-state";
import { perfMark } from "@/lib/perf";
import { CellHeatmap } from "./cell-heatmap";
import { DirectionChart } from "./direction-chart";
import { DistributionChart } from "./distribution-chart";
import { EstimatorsPanel } from "./estimators-panel";
import { GradientChart } from "./gradient-chart";
import { IrcPanel } from "./irc-panel";
import { PositionHeatmap } from "./position-heatmap";
import { PresenceChart } from "./presence-chart";
import { RhoChart } from "./rho-chart";
import { directionSeries, distributionSeries, ESTIMATOR_LABELS, estimatorRows, gradientSeries, presenceSeries, rhoSeries } from "./series";

/**
 * Everything drawn from one analysis result. Memoised: editing the config re-renders only the
 * editor until the next result arrives, so a slider tick never pays for redrawing the charts.
 */
export const AnalysisCharts = memo(function AnalysisCharts({
  data,
  selectedTier,
  edit,
  onSelect,
}: {
  data: AnalysisResponse;
  selectedTier: TierName | null;
  edit: (next: (c: RewardConfig) => RewardConfig) => void;
  onSelect: (s: Selection) => void;
}) {
  const selectTier = useCallback((tier: TierName) => onSelect({ kind: "tier", tier }), [onSelect]);
  const selectPosition = useCallback((position: number, tier: TierName) => onSelect({ kind: "position", position, tier }), [onSelect]);
  const selectCell = useCallback((w: number, b: number) => onSelect({ kind: "cell", w, b }), [onSelect]);
  // ρ and presence depend on tiering, outcomes and the slice, not on tier values or the estimator:
  // keep their series identity across results with equal content so those charts skip re-rendering.
  const rhoJson = JSON.stringify(rhoSeries(data));
  const rho = useMemo(() => JSON.parse(rhoJson) as ReturnType<typeof rhoSeries>, [rhoJson]);
  const presenceJson = JSON.stringify(presenceSeries(data));
  const presence = useMemo(() => JSON.parse(presenceJson) as ReturnType<typeof presenceSeries>, [presenceJson]);
  return (
    <>
      <IrcPanel
        rules={data.suggestion_rules}
        stop={data.stop_rule}
        onApply={(tier, value) => {
          perfMark("wb:input");
          edit((c) => ({ ...c, tiers: { ...c.tiers, [tier]: value } }));
        }}
        onApplyAll={(values) => {
          perfMark("wb:input");
          edit((c) => ({ ...c, tiers: { ...c.tiers, ...values } }));
        }}
      />
      <div className="grid gap-4 xl:grid-cols-2">
        <RhoChart points={rho} delta={data.config.delta} nRollouts={data.analysis.n_rollouts_rho} selected={selectedTier} onSelectTier={selectTier} />
        <PresenceChart points={presence} onSelectTier={selectTier} />
        <DirectionChart
          points={directionSeries(data)}
          estimatorLabel={ESTIMATOR_LABELS[data.config.estimator]}
          mismatches={data.analysis.mismatches}
          onSelectTier={selectTier}
        />
        <DistributionChart points={distributionSeries(data.distribution)} summary={data.distribution} />
      </div>
      <PositionHeatmap heatmap={data.heatmap} onSelect={selectPosition} />
      <div className="grid gap-4 xl:grid-cols-2">
        <GradientChart
          points={gradientSeries(data)}
          deadPct={data.analysis.dead_turn_pct}
          deadCancelPct={data.analysis.dead_turn_pct_cancel}
          weighting={data.analysis.gradient_weighting}
          onSelectTier={selectTier}
        />
        <EstimatorsPanel
          rows={estimatorRows(data.estimators)}
          active={data.config.estimator}
          onPick={(e) => {
            perfMark("wb:input");
            edit((c) => ({ ...c, estimator: e }));
          }}
        />
      </div>
      <CellHeatmap cells={data.cells} onSelect={selectCell} />
    </>
  );
});
