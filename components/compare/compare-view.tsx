"use client";

/**
 * /compare: two experiments (or two step ranges of training runs) on the same task set, from
 * GET /api/compare. Per-tier rho and mean advantage side by side under one config, the per-task
 * pass-rate table (sortable, with the delta), W × B cell deltas as a signed heatmap, and the
 * paired group view. All view state is in the URL (./compare-url).
 */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ESTIMATOR_LABELS, ESTIMATOR_ORDER, fmtShare, fmtSigned, TIER_COLORS } from "@/components/calibration/series";
import { DeltaCell } from "./delta-cell";
import type { CompareResponse, CompareSide } from "@/lib/compare/compare";
import { formatStepRange } from "@/lib/analysis/timeline-steps";
import { compareQueryOptions } from "@/lib/api-client/compare";
import { TIER_NAMES } from "@/lib/rewards";
import { ComparePicker } from "./compare-picker";
import { compareApiQuery, encodeCompareState, type CompareUrlState } from "./compare-url";
import { CellDeltaHeatmap } from "./cell-delta-heatmap";
import { PairedGroups } from "./paired-groups";
import { TaskTable } from "./task-table";

export function CompareView({ initial }: { initial: CompareUrlState }) {
  const [state, setState] = useState(initial);
  const update = (patch: Partial<CompareUrlState>) => setState((s) => ({ ...s, ...patch }));
  const ready = state.a !== null && state.b !== null;
  const apiQuery = compareApiQuery(state);
  const query = useQuery(compareQueryOptions(apiQuery, ready));

  // The address bar follows the view, so any state is a link.
  const search = encodeCompareState(state);
  useEffect(() => {
    const target = `/compare${search ? `?${search}` : ""}`;
    if (window.location.pathname + window.location.search !== target) window.history.replaceState(window.history.state, "", target);
  }, [search]);

  const d = query.data;
  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Compare runs</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          Two experiments on the same task set (model A vs B, before vs after training), or two step ranges of a training run, under one reward config.
        </p>
      </div>
      <ComparePicker key={`${state.a}|${state.b}`} initial={state} />
      {!ready ? (
        <Card>
          <EmptyState title="Pick two experiments">Choose experiment A and B above; a training run also takes a step range (e.g. 0-50 vs 400-450).</EmptyState>
        </Card>
      ) : query.isPending ? (
        <Card className="h-96 animate-pulse" aria-busy="true" aria-label="Loading comparison" />
      ) : query.isError ? (
        <Card data-testid="compare-error">
          <EmptyState title="Cannot compare these two">{query.error.message}</EmptyState>
        </Card>
      ) : d ? (
        <div className={"space-y-5 " + (query.isFetching ? "opacity-70 transition-opacity" : "")} data-testid="compare-result">
          <ConfigBar data={d} estimator={state.estimator} onEstimator={(estimator) => update({ estimator })} />
          <div className="grid gap-3 md:grid-cols-2">
            <SideCard label="A" side={d.a} />
            <SideCard label="B" side={d.b} />
          </div>
          <TierTable data={d} />
          <TaskTable data={d} sort={state.sort} dir={state.dir} selected={state.task} onSort={(sort, dir) => update({ sort, dir })} onPick={(task) => update({ task })} />
          <CellDeltaHeatmap data={d} metric={state.metric} tier={state.tier} onChange={update} />
          <PairedGroups data={d} task={state.task} onTask={(task) => update({ task })} configParams={{ iteration: d.config.iteration_id, c: d.config.diff, estimator: state.estimator }} />
        </div>
      ) : null}
    </div>
  );
}

function ConfigBar({ data, estimator, onEstimator }: { data: CompareResponse; estimator: string; onEstimator: (e: string) => void }) {
  return (
    <div className="flex flex-wrap items-center gap-3 text-sm">
      <span className="text-zinc-600 dark:text-zinc-400">
        Both sides under <span className="font-medium text-zinc-900 dark:text-zinc-100">{data.config.label}</span> (config{" "}
        <span className="font-mono">{data.config.config_hash}</span>)
      </span>
      <label className="flex items-center gap-2">
        <span className="text-xs text-zinc-600 dark:text-zinc-400">Estimator</span>
        <select
          data-testid="compare-estimator"
          className="h-8 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
          value={estimator || data.config.estimator}
          onChange={(e) => onEstimator(e.target.value)}
        >
          {ESTIMATOR_ORDER.map((k) => (
            <option key={k} value={k}>
              {ESTIMATOR_LABELS[k]}
            </option>
          ))}
        </select>
      </label>
      <Link href={`/experiments/${data.a.experiment_id}/calibrate`} className="text-xs text-indigo-700 hover:underline dark:text-indigo-300">
        Open A in the workbench
      </Link>
    </div>
  );
}

function SideCard({ label, side }: { label: string; side: CompareSide }) {
  return (
    <Card className="p-4" data-testid={`compare-side-${label.toLowerCase()}`}>
      <div className="text-xs font-semibold text-zinc-500 uppercase">Side {label}</div>
      <div className="mt-0.5 text-base font-semibold">
        <Link href={`/experiments/${side.experiment_id}`} className="hover:underline">
          #{side.experiment_id} {side.name}
        </Link>
      </div>
      <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-sm text-zinc-600 dark:text-zinc-400">
        {side.steps ? <span>steps <span className="font-mono">{formatStepRange(side.steps)}</span></span> : side.source === "training" ? <span>all steps</span> : null}
        <span>task set: {side.task_set_name ?? "—"}</span>
        <span>
          <span className="font-mono tabular-nums">{side.n_rollouts.toLocaleString("en-US")}</span> rollouts
        </span>
        <span>
          pass rate <span className="font-mono tabular-nums">{fmtShare(side.pass_rate)}</span>
        </span>
        <span>
          mismatches <span className="font-mono tabular-nums">{side.mismatches}</span>
        </span>
      </div>
    </Card>
  );
}

function TierTable({ data }: { data: CompareResponse }) {
  const delta = (a: number | null, b: number | null) => (a === null || b === null ? null : b - a);
  return (
    <Card className="overflow-x-auto p-4">
      <h2 className="text-sm font-semibold">Per tier: discriminativeness and mean advantage</h2>
      <p className="mt-0.5 text-xs text-zinc-600 dark:text-zinc-400">
        rho = point-biserial correlation of tier presence with the outcome; mean A = mean final advantage of the tier&apos;s turns (std units) under{" "}
        {ESTIMATOR_LABELS[data.config.estimator as keyof typeof ESTIMATOR_LABELS] ?? data.config.estimator}. The workbench&apos;s numbers for each side.
      </p>
      <table className="mt-3 w-full min-w-[42rem] text-sm tabular-nums" data-testid="compare-tiers">
        <thead className="text-xs text-zinc-500 dark:text-zinc-400">
          <tr className="border-b border-zinc-200 dark:border-zinc-800">
            <th className="py-1.5 text-left font-medium">tier</th>
            <th className="text-right font-medium">rho A</th>
            <th className="text-right font-medium">rho B</th>
            <th className="text-right font-medium">Δ rho</th>
            <th className="text-right font-medium">mean A (A)</th>
            <th className="text-right font-medium">mean A (B)</th>
            <th className="text-right font-medium">Δ mean A</th>
            <th className="text-right font-medium">turns A / B</th>
          </tr>
        </thead>
        <tbody className="font-mono">
          {TIER_NAMES.map((t) => {
            const a = data.a.tiers[t];
            const b = data.b.tiers[t];
            return (
              <tr key={t} data-tier={t} className="border-b border-zinc-100 last:border-0 dark:border-zinc-800/60">
                <td className="py-1.5 font-sans">
                  <span className="mr-1.5 inline-block size-2.5 rounded-sm align-middle" style={{ background: TIER_COLORS[t] }} aria-hidden />
                  {t}
                </td>
                <td className="text-right" data-col="rho-a">{fmtSigned(a.rho, 3)}</td>
                <td className="text-right" data-col="rho-b">{fmtSigned(b.rho, 3)}</td>
                <DeltaCell value={delta(a.rho, b.rho)} />
                <td className={"text-right " + (a.aligned === false ? "text-red-600 dark:text-red-400" : "")} data-col="adv-a" title={a.aligned === false ? "mismatch: sign differs from the intended sign" : undefined}>
                  {fmtSigned(a.mean_adv, 3)}
                </td>
                <td className={"text-right " + (b.aligned === false ? "text-red-600 dark:text-red-400" : "")} data-col="adv-b" title={b.aligned === false ? "mismatch: sign differs from the intended sign" : undefined}>
                  {fmtSigned(b.mean_adv, 3)}
                </td>
                <DeltaCell value={delta(a.mean_adv, b.mean_adv)} />
                <td className="text-right text-zinc-500">
                  {a.n_turns.toLocaleString("en-US")} / {b.n_turns.toLocaleString("en-US")}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Card>
  );
}
