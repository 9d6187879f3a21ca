"use client";

/**
 * The calibration workbench: reward config editor on the left, every diagnostic on the right,
 * recomputed on each edit (throttled to one request per 50 ms; the previous result stays on
 * screen while the next loads). All view state lives in the URL (history.replaceState, no
 * navigation), so a copied link reproduces the same view and numbers.
 *
 * Timing for bench/workbench.ts: editor inputs set performance mark "wb:input"; when a fresh
 * (non-placeholder) result has been committed to the DOM, measure "wb:update" from that mark.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { memo, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import type { AnalysisResponse, RewardConfig, RewardConfigIteration, TierName } from "@/lib/calibration/api-types";
import {
  analysisQueryOptions,
  applyConfigDiff,
  diffConfig,
  encodeSelection,
  encodeUrlState,
  experimentOverviewQueryOptions,
  experimentQueryOptions,
  FALLBACK_BASE_CONFIG,
  flipsQueryOptions,
  iterationsQueryOptions,
  type Selection,
  type SliceFilters,
  type WorkbenchUrlState,
} from "@/lib/calibration/client";
import { CellHeatmap } from "./cell-heatmap";
import { ConfigEditor } from "./config-editor";
import { DirectionChart } from "./direction-chart";
import { DistributionChart } from "./distribution-chart";
import { DrilldownPanel } from "./drilldown-panel";
import { encodeConfigDiff } from "@/lib/calibration/url-state";
import { EstimatorsPanel } from "./estimators-panel";
import { ExportsPanel } from "./exports-panel";
import { GradientChart } from "./gradient-chart";
import { IrcPanel } from "./irc-panel";
import { IterationsPanel } from "./iterations-panel";
import { PositionHeatmap } from "./position-heatmap";
import { PresenceChart } from "./presence-chart";
import { RhoChart } from "./rho-chart";
import {
  directionSeries,
  distributionSeries,
  ESTIMATOR_LABELS,
  estimatorRows,
  fmt,
  fmtPct,
  fmtShare,
  gradientSeries,
  presenceSeries,
  rhoSeries,
} from "./series";
import { ShareButton } from "./share-button";
import { SliceFiltersBar } from "./slice-filters";
import { StepRangeControl } from "./step-range";

const RECOMPUTE_MS = 50;
/** Dim the charts only when a recompute takes this long (see useSlowPending). */
const DIM_AFTER_MS = 300;

/**
 * Whether `pending` has lasted DIM_AFTER_MS. Dimming the whole chart column on every edit
 * repainted the full page twice per slider tick (dim, undim) while the next result was on its
 * way; a recompute normally lands well before this, so the column is left alone then.
 */
function useSlowPending(pending: boolean): boolean {
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    if (!pending) return;
    const timer = window.setTimeout(() => setSlow(true), DIM_AFTER_MS);
    return () => {
      window.clearTimeout(timer);
      setSlow(false);
    };
  }, [pending]);
  return pending && slow;
}

export function Workbench({ experimentId, initial }: { experimentId: number; initial: WorkbenchUrlState }) {
  const experiment = useQuery(experimentQueryOptions(experimentId));
  const iterations = useQuery(iterationsQueryOptions(experimentId));

  if (experiment.isError) {
    return (
      <Card>
        <EmptyState title="Experiment not available">{(experiment.error as Error).message}</EmptyState>
      </Card>
    );
  }
  if (iterations.isError) {
    return (
      <Card>
        <EmptyState title="Reward-config iterations could not be loaded">{(iterations.error as Error).message}</EmptyState>
      </Card>
    );
  }
  if (!iterations.data) return <WorkbenchSkeleton />;

  // Resolve the base once: the iteration named in the link; with no link state at all, the latest
  // iteration; a link with edits but no iteration is relative to the fallback preset.
  const list = iterations.data.iterations;
  const named = initial.iteration !== null ? (list.find((i) => i.id === initial.iteration) ?? null) : null;
  const hasLinkState = initial.iteration !== null || Object.keys(initial.diff).length > 0;
  const base = named ?? (hasLinkState ? null : (list.at(-1) ?? null));
  return (
    <WorkbenchReady
      experimentId={experimentId}
      experimentName={experiment.data?.experiment.name ?? `Experiment ${experimentId}`}
      experimentStatus={experiment.data?.experiment.status ?? null}
      iterations={list}
      initial={initial}
      initialBase={base}
      missingIteration={initial.iteration !== null && named === null ? initial.iteration : null}
    />
  );
}

function WorkbenchSkeleton() {
  return (
    <div className="grid gap-4 lg:grid-cols-[20rem_1fr]" aria-busy="true">
      <div className="h-[36rem] animate-pulse rounded-lg bg-zinc-200/60 dark:bg-zinc-800/60" />
      <div className="grid gap-4 xl:grid-cols-2">
        {Array.from({ length: 4 }, (_, i) => (
          <div key={i} className="h-72 animate-pulse rounded-lg bg-zinc-200/60 dark:bg-zinc-800/60" />
        ))}
      </div>
    </div>
  );
}

function WorkbenchReady({
  experimentId,
  experimentName,
  experimentStatus,
  iterations,
  initial,
  initialBase,
  missingIteration,
}: {
  experimentId: number;
  experimentName: string;
  experimentStatus: string | null;
  iterations: RewardConfigIteration[];
  initial: WorkbenchUrlState;
  initialBase: RewardConfigIteration | null;
  missingIteration: number | null;
}) {
  const qc = useQueryClient();
  const [base, setBase] = useState<{ id: number | null; config: RewardConfig }>(() => ({
    id: initialBase?.id ?? null,
    config: initialBase?.config ?? FALLBACK_BASE_CONFIG,
  }));
  const [initialApplied] = useState(() => applyConfigDiff(initialBase?.config ?? FALLBACK_BASE_CONFIG, initial.diff));
  const [config, setConfig] = useState<RewardConfig>(initialApplied.config);
  const [slice, setSlice] = useState<SliceFilters>(initial.slice);
  const [selection, setSelection] = useState<Selection | null>(initial.selection);
  const [compare, setCompare] = useState<number[]>(initial.compare);
  const [evaluateOn, setEvaluateOn] = useState<number | null>(initial.evaluateOn);

  const diff = useMemo(() => diffConfig(base.config, config), [base.config, config]);
  const urlState: WorkbenchUrlState = useMemo(
    () => ({ iteration: base.id, diff, slice, selection, compare, evaluateOn }),
    [base.id, diff, slice, selection, compare, evaluateOn],
  );
  const path = `/experiments/${experimentId}/calibrate`;
  const query = encodeUrlState(urlState);

  // Keep the address bar in step with the view (no navigation, no history entries per slider tick).
  // Written 150 ms after the last change: the router reacts to every replaceState, and a slider
  // drag should not pay for that on each tick.
  useEffect(() => {
    const target = `${path}${query ? `?${query}` : ""}`;
    const timer = window.setTimeout(() => {
      if (window.location.pathname + window.location.search !== target) window.history.replaceState(window.history.state, "", target);
    }, 150);
    return () => window.clearTimeout(timer);
  }, [path, query]);

  // Recompute throttle, driven from the edit itself (not an effect) so the leading edge costs no
  // extra render: a change after ≥ 50 ms of quiet is requested at once; a burst (slider drag) is
  // coalesced and its latest value requested 50 ms after the previous request.
  const [requestConfig, setRequestConfig] = useState<RewardConfig>(config);
  const throttle = useRef<{ last: number; timer: number | null; latest: RewardConfig }>({ last: -Infinity, timer: null, latest: config });
  const edit = useCallback((next: RewardConfig | ((c: RewardConfig) => RewardConfig)) => {
    const t = throttle.current;
    const value = typeof next === "function" ? next(t.latest) : next;
    t.latest = value;
    setConfig(value);
    const wait = t.last + RECOMPUTE_MS - performance.now();
    if (wait <= 0) {
      if (t.timer !== null) window.clearTimeout(t.timer);
      t.timer = null;
      t.last = performance.now();
      setRequestConfig(value);
    } else if (t.timer === null) {
      t.timer = window.setTimeout(() => {
        t.timer = null;
        t.last = performance.now();
        setRequestConfig(t.latest);
      }, wait);
    }
  }, []);
  useEffect(() => () => {
    const t = throttle.current;
    if (t.timer !== null) window.clearTimeout(t.timer);
  }, []);
  const analysis = useQuery(analysisQueryOptions(experimentId, requestConfig, slice));
  const flips = useQuery(flipsQueryOptions(experimentId, requestConfig, slice));
  const overview = useQuery(experimentOverviewQueryOptions(experimentId));
  // Training runs get the step-range control (cached query: the page above fetched it already).
  const experimentSource = useQuery(experimentQueryOptions(experimentId)).data?.experiment.source;
  const data = analysis.data;
  const fresh = Boolean(data) && !analysis.isPlaceholderData;
  const pending = config !== requestConfig || analysis.isPlaceholderData || analysis.isFetching;
  const slowPending = useSlowPending(pending);

  // Measure input → rendered result (bench/workbench.ts reads "wb:update").
  useEffect(() => {
    if (!fresh || typeof performance === "undefined") return;
    if (performance.getEntriesByName("wb:input", "mark").length === 0) return;
    try {
      performance.measure("wb:update", "wb:input");
    } finally {
      performance.clearMarks("wb:input");
    }
  }, [data, fresh]);

  // Slice options: the overview's grid cells and behaviours, plus the W/B of the result's cells
  // and whatever the slice already selects (so a chip never disappears while it is on).
  const sliceOptions = useMemo(() => {
    const w = new Set<number>(slice.w);
    const b = new Set<number>(slice.b);
    for (const c of data?.cells ?? []) {
      w.add(c.w);
      b.add(c.b);
    }
    for (const c of overview.data?.cells ?? []) {
      if (c.writes !== null) w.add(c.writes);
      if (c.evidence !== null) b.add(c.evidence);
    }
    const behavior = new Set(slice.behavior);
    for (const x of overview.data?.behaviors ?? []) if (x.behavior) behavior.add(x.behavior);
    return { w: [...w].sort((x, y) => x - y), b: [...b].sort((x, y) => x - y), behavior: [...behavior].sort() };
  }, [overview.data, data?.cells, slice]);

  const onEdit = edit;
  const loadIteration = useCallback((it: RewardConfigIteration) => {
    window.performance?.mark?.("wb:input");
    setBase({ id: it.id, config: it.config });
    edit(it.config);
  }, [edit]);
  const closeDrill = useCallback(() => setSelection(null), []);
  const onSaved = useCallback(
    (it: RewardConfigIteration) => {
      setBase({ id: it.id, config: it.config });
      edit(it.config);
      void qc.invalidateQueries({ queryKey: ["calibration", "iterations", experimentId] });
    },
    [edit, qc, experimentId],
  );

  const dirtyKeys = useMemo(() => new Set(Object.keys(diff)), [diff]);
  const dirty = dirtyKeys.size > 0;
  const baseIteration = iterations.find((i) => i.id === base.id) ?? null;
  const pooledLastRow =
    selection?.kind === "position" && Boolean(data?.heatmap?.last_row_pooled) && data?.heatmap?.positions.at(-1) === selection.position;

  return (
    <div
      data-testid="workbench"
      data-fresh={fresh ? "true" : "false"}
      data-config-hash={data?.config_hash ?? ""}
      data-pending={pending ? "true" : "false"}
    >
      <header className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">
          <p className="text-xs text-zinc-600 dark:text-zinc-400">
            <a href={`/experiments/${experimentId}`} className="hover:underline">
              Experiment #{experimentId}
            </a>{" "}
            · calibration workbench
          </p>
          <h1 className="truncate text-2xl font-semibold tracking-tight" data-testid="workbench-title">
            {experimentName}
          </h1>
        </div>
        <ShareButton path={path} query={query} />
      </header>

      {missingIteration !== null ? (
        <p className="mb-3 rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900 ring-1 ring-amber-200 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-900">
          Iteration id {missingIteration} is not part of this experiment; showing the link&apos;s edits on the NAIVE_V5 preset.
        </p>
      ) : null}
      {initialApplied.rejected.length ? (
        <p className="mb-3 rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900 ring-1 ring-amber-200 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-900">
          Ignored invalid values in the link: {initialApplied.rejected.join(", ")}.
        </p>
      ) : null}

      <SummaryBar
        data={data}
        pending={pending}
        error={analysis.isError ? (analysis.error as Error).message : null}
        experimentStatus={experimentStatus}
      />

      <div className="mb-4">
        <SliceFiltersBar slice={slice} options={sliceOptions} onChange={(next) => setSlice({ ...next, steps: slice.steps })} />
        {experimentSource === "training" || slice.steps ? (
          <div className="mt-2">
            <StepRangeControl steps={slice.steps} onChange={(steps) => setSlice({ ...slice, steps })} />
          </div>
        ) : null}
      </div>

      <div className="grid items-start gap-4 lg:grid-cols-[20rem_minmax(0,1fr)]">
        <aside className="rounded-lg border border-zinc-200 bg-white shadow-sm lg:sticky lg:top-[9.5rem] lg:max-h-[calc(100vh-10.5rem)] lg:overflow-y-auto dark:border-zinc-800 dark:bg-zinc-900">
          <div className="flex items-center justify-between gap-2 border-b border-zinc-200 px-3 py-2 dark:border-zinc-800">
            <div className="min-w-0 text-xs text-zinc-700 dark:text-zinc-300">
              <div className="font-semibold text-zinc-900 dark:text-zinc-100">Reward config</div>
              <div className="truncate" data-testid="base-label" title={baseIteration?.note ?? undefined}>
                base: {baseIteration ? `iteration #${baseIteration.number}${baseIteration.note ? ` — ${baseIteration.note}` : ""}` : "NAIVE_V5 preset"}
                {dirty ? <span className="ml-1 text-amber-700 dark:text-amber-400">· {dirtyKeys.size} edited</span> : null}
              </div>
            </div>
            <Button size="sm" variant="ghost" disabled={!dirty} onClick={() => edit(base.config)} data-testid="reset-config">
              Reset
            </Button>
          </div>
          <ConfigEditor config={config} onChange={onEdit} flips={flips.data?.flips ?? null} dirtyKeys={dirtyKeys} />
        </aside>

        <div className={"min-w-0 space-y-4 transition-opacity " + (slowPending && data ? "opacity-90" : "")}>
          {!data ? (
            analysis.isError ? (
              <Card>
                <EmptyState title="Analysis failed">{(analysis.error as Error).message}</EmptyState>
              </Card>
            ) : (
              <div className="grid gap-4 xl:grid-cols-2">
                {Array.from({ length: 4 }, (_, i) => (
                  <div key={i} className="h-72 animate-pulse rounded-lg bg-zinc-200/60 dark:bg-zinc-800/60" />
                ))}
              </div>
            )
          ) : data.analysis.n_rollouts === 0 ? (
            <Card>
              <EmptyState title="No finished rollouts in this view">
                {slice.w.length + slice.b.length + slice.behavior.length ? "Clear the slice filters" : "Wait for the experiment to finish some rollouts"} to see the
                diagnostics.
              </EmptyState>
            </Card>
          ) : (
            <AnalysisCharts data={data} selectedTier={selection?.kind === "tier" ? selection.tier : null} edit={edit} onSelect={setSelection} />
          )}
          <IterationsPanel
            experimentId={experimentId}
            iterations={iterations}
            baseId={base.id}
            config={config}
            dirty={dirty}
            compare={compare}
            evaluateOn={evaluateOn}
            onSaved={onSaved}
            onLoad={loadIteration}
            onCompare={setCompare}
            onEvaluateOn={setEvaluateOn}
          />
          <ExportsPanel experimentId={experimentId} iterationId={base.id} dirty={dirty} />
        </div>
      </div>

      {selection && data ? (
        <DrilldownPanel
          key={encodeSelection(selection)}
          experimentId={experimentId}
          configHash={data.config_hash}
          selection={selection}
          slice={slice}
          pooledLastRow={pooledLastRow}
          onClose={closeDrill}
          browserConfig={{ iteration: base.id, c: encodeConfigDiff(diff) }}
        />
      ) : null}
    </div>
  );
}

/**
 * Everything drawn from one analysis result. Memoised: editing the config re-renders only the
 * editor until the next result arrives, so a slider tick never pays for redrawing the charts.
 */
const AnalysisCharts = memo(function AnalysisCharts({
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
          window.performance?.mark?.("wb:input");
          edit((c) => ({ ...c, tiers: { ...c.tiers, [tier]: value } }));
        }}
        onApplyAll={(values) => {
          window.performance?.mark?.("wb:input");
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
            window.performance?.mark?.("wb:input");
            edit((c) => ({ ...c, estimator: e }));
          }}
        />
      </div>
      <CellHeatmap cells={data.cells} onSelect={selectCell} />
    </>
  );
});

function Stat({ label, value, testId, tone }: { label: string; value: string; testId?: string; tone?: "good" | "bad" }) {
  return (
    <div className="min-w-0">
      <div className="text-[11px] font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">{label}</div>
      <div
        className={
          "font-mono text-sm font-semibold tabular-nums " +
          (tone === "good" ? "text-emerald-700 dark:text-emerald-400" : tone === "bad" ? "text-red-600 dark:text-red-400" : "text-zinc-900 dark:text-zinc-100")
        }
        data-testid={testId}
      >
        {value}
      </div>
    </div>
  );
}

function SummaryBar({
  data,
  pending,
  error,
  experimentStatus,
}: {
  data: AnalysisResponse | undefined;
  pending: boolean;
  error: string | null;
  experimentStatus: string | null;
}) {
  const a = data?.analysis;
  const mismatches = a?.mismatches ?? null;
  const noDirection = a?.undefined_direction ?? 0;
  return (
    <div className="sticky top-14 z-20 -mx-1 mb-3 flex flex-wrap items-center gap-x-6 gap-y-2 rounded-lg border border-zinc-200 bg-white/95 px-4 py-2.5 shadow-sm backdrop-blur dark:border-zinc-800 dark:bg-zinc-900/95">
      <span
        data-testid="mismatch-badge"
        data-count={mismatches ?? ""}
        className={
          "inline-flex items-center gap-1.5 rounded-full px-3 py-1 text-sm font-semibold ring-1 ring-inset " +
          (mismatches === null
            ? "bg-zinc-100 text-zinc-700 ring-zinc-300 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-700"
            : mismatches === 0
              ? "bg-emerald-50 text-emerald-800 ring-emerald-300 dark:bg-emerald-950 dark:text-emerald-300 dark:ring-emerald-800"
              : "bg-red-50 text-red-700 ring-red-300 dark:bg-red-950 dark:text-red-300 dark:ring-red-800")
        }
        title="Tiers whose mean final advantage has the opposite sign of ρ"
      >
        {mismatches === null ? "… mismatches" : `${mismatches} ${mismatches === 1 ? "mismatch" : "mismatches"}`}
      </span>
      {noDirection > 0 && (
        <span
          data-testid="no-direction-badge"
          data-count={noDirection}
          className="inline-flex items-center gap-1.5 rounded-full bg-zinc-100 px-3 py-1 text-sm font-semibold text-zinc-700 ring-1 ring-inset ring-zinc-300 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-700"
          title="Tiers with a clear ρ whose mean final advantage is 0: no direction to compare (every advantage is 0 in groups of one rollout, or when a group's rollouts all pass or all fail). Not counted as mismatches; more rollouts per task give them one."
        >
          ○ {noDirection} no direction
        </span>
      )}
      <Stat label="Corr(r̄, o)" value={fmt(data?.stop_rule.corr_mean_reward_outcome, 3)} testId="stat-corr-reward" />
      <Stat label="Corr(adv, out)" value={fmt(a?.corr_adv_outcome, 3)} testId="stat-corr-adv" />
      <Stat label="dead turns" value={fmtPct(a?.dead_turn_pct, 1)} testId="stat-dead" />
      <Stat label="pass rate" value={fmtShare(data?.pass_rate, 1)} testId="stat-pass" />
      <Stat label="rollouts · turns" value={a ? `${a.n_rollouts.toLocaleString("en-US")} · ${a.n_turns.toLocaleString("en-US")}` : "…"} testId="stat-n" />
      <Stat label="groups all-pass / fail / mixed" value={a ? `${fmtPct(a.groups.all_pass, 0)} / ${fmtPct(a.groups.all_fail, 0)} / ${fmtPct(a.groups.mixed, 0)}` : "…"} />
      <div className="ml-auto flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400">
        {data?.stop_rule.met ? <Badge tone="green">stop rule met</Badge> : data ? <Badge tone="amber">iterate</Badge> : null}
        {experimentStatus && experimentStatus !== "completed" ? <Badge tone="blue">{experimentStatus}</Badge> : null}
        {error ? (
          <span className="text-red-600 dark:text-red-400" data-testid="analysis-error">
            {error}
          </span>
        ) : pending ? (
          <span data-testid="analysis-status">updating…</span>
        ) : data ? (
          <span data-testid="analysis-status" title={data.cached ? "served from the server cache" : "computed on the server"}>
            {data.computed_ms.toFixed(0)} ms{data.cached ? " (cached)" : ""}
          </span>
        ) : null}
      </div>
    </div>
  );
}
