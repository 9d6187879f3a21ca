"use client";

/**
 * The calibration workbench: reward config editor on the left, every diagnostic on the right,
 * recomputed on each edit (throttled to one request per 50 ms; the previous result stays on
 * screen while the next loads). All view state lives in the URL (history.replaceState, no
 * navigation), so a copied link reproduces the same view and numbers.
 *
 * Timing for bench/workbench.ts (marks through lib/perf.ts): editor inputs set mark "wb:input"; when a fresh
 * (non-placeholder) result has been committed to the DOM, measure "wb:update" from that mark.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import {
  analysisQueryOptions,
  experimentOverviewQueryOptions,
  experimentQueryOptions,
  flipsQueryOptions,
  iterationsQueryOptions,
} from "@/lib/api-client/calibration";
import { queryKeys } from "@/lib/api-client/keys";
import type { RewardConfig, RewardConfigIteration } from "@/lib/calibration/api-types";
import {
  applyConfigDiff,
  diffConfig,
  encodeConfigDiff,
  encodeSelection,
  encodeUrlState,
  FALLBACK_BASE_CONFIG,
  type Selection,
  type SliceFilters,
  type WorkbenchUrlState,
} from "@/lib/calibration/url-state";
import { perfMark, perfMeasureSince } from "@/lib/perf";
import { AnalysisCharts } from "./analysis-charts";
import { ConfigEditor } from "./config-editor";
import { DrilldownPanel } from "./drilldown-panel";
import { ExportsPanel } from "./exports-panel";
import { IterationsPanel } from "./iterations-panel";
import { ShareButton } from "./share-button";
import { SliceFiltersBar } from "./slice-filters";
import { StepRangeControl } from "./step-range";
import { SummaryBar } from "./summary-bar";
import { useSlowPending, useThrottledConfig } from "./use-recompute";

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
  const { config, requestConfig, edit } = useThrottledConfig(initialApplied.config);
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
    if (fresh) perfMeasureSince("wb:update", "wb:input");
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
    perfMark("wb:input");
    setBase({ id: it.id, config: it.config });
    edit(it.config);
  }, [edit]);
  const closeDrill = useCallback(() => setSelection(null), []);
  const onSaved = useCallback(
    (it: RewardConfigIteration) => {
      setBase({ id: it.id, config: it.config });
      edit(it.config);
      void qc.invalidateQueries({ queryKey: queryKeys.calibration.iterations(experimentId) });
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
