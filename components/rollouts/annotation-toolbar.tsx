"use client";

/**
 * The rollout browser's calibration controls: which reward config annotates the turns (a saved
 * iteration, or the workbench's unsaved edits the link carried), which estimator, which second
 * config to compare with, and which tier `t` jumps through. Below: the tier legend with this
 * view's counts and, when comparing, the change summary per kind and per tier.
 */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { ESTIMATOR_LABELS } from "@/components/calibration/series";
import { iterationsQueryOptions } from "@/lib/api-client/calibration";
import type { GroupAnnotationsResponse } from "@/lib/calibration/annotations";
import { ESTIMATORS, TIER_NAMES, type TierName } from "@/lib/rewards";
import type { BrowserConfigParams } from "./annotation-params";
import { TierChip } from "./turn-annotation";
import { OtherChangedGroups } from "./changed-groups";

const select =
  "h-8 rounded-md border border-zinc-300 bg-white px-2 text-xs text-zinc-900 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100";
const kbd = "rounded border border-zinc-300 bg-white px-1 font-mono text-[11px] text-zinc-700 dark:border-zinc-700 dark:bg-zinc-800 dark:text-zinc-200";

export function AnnotationToolbar({
  experimentId,
  groupId,
  params,
  data,
  loading,
  error,
  onChange,
}: {
  experimentId: number;
  /** The group shown (the compare summary links to the other groups with changes). */
  groupId?: string;
  params: BrowserConfigParams;
  data: GroupAnnotationsResponse | undefined;
  loading: boolean;
  error: Error | null;
  onChange: (next: BrowserConfigParams) => void;
}) {
  const iterations = useQuery(iterationsQueryOptions(experimentId));
  const list = iterations.data?.iterations ?? [];
  const counts = new Map<TierName, number>();
  for (const r of data?.rollouts ?? []) for (const t of r.turns) counts.set(t.tier, (counts.get(t.tier) ?? 0) + 1);
  const workbench = new URLSearchParams();
  if (data?.config.iteration_id != null) workbench.set("it", String(data.config.iteration_id));
  if (params.c) workbench.set("c", params.c);
  const cmp = data?.compare ?? null;

  return (
    <section
      className="space-y-2 rounded-lg border border-zinc-200 bg-white px-3 py-2.5 text-xs dark:border-zinc-800 dark:bg-zinc-900"
      aria-label="Reward config of the annotations"
      data-testid="annotation-toolbar"
      aria-busy={loading}
    >
      <div className="flex flex-wrap items-end gap-x-4 gap-y-2">
        <label className="flex flex-col gap-0.5">
          <span className="font-medium text-zinc-600 dark:text-zinc-400">Reward config</span>
          <select
            className={select + " w-64"}
            data-testid="config-select"
            value={params.iteration ?? ""}
            onChange={(e) => onChange({ ...params, iteration: e.target.value ? Number(e.target.value) : null, c: "" })}
          >
            <option value="">latest saved iteration</option>
            <MissingOption id={params.iteration} list={list} />
            {list.map((it) => (
              <option key={it.id} value={it.id}>
                #{it.number} · {it.config.estimator}
                {it.note ? ` · ${it.note.slice(0, 40)}` : ""}
              </option>
            ))}
          </select>
        </label>
        {params.c ? (
          <span className="flex items-center gap-1.5 self-center rounded-md bg-indigo-50 px-2 py-1 text-indigo-800 ring-1 ring-indigo-200 ring-inset dark:bg-indigo-950/50 dark:text-indigo-200 dark:ring-indigo-900">
            + unsaved edits <code className="font-mono">{params.c.length > 48 ? params.c.slice(0, 47) + "…" : params.c}</code>
            <button type="button" className="font-semibold hover:underline" onClick={() => onChange({ ...params, c: "" })} aria-label="Drop the unsaved edits">
              ✕
            </button>
          </span>
        ) : null}
        <label className="flex flex-col gap-0.5">
          <span className="font-medium text-zinc-600 dark:text-zinc-400">Estimator</span>
          <select className={select} data-testid="estimator-select" value={params.estimator} onChange={(e) => onChange({ ...params, estimator: e.target.value })}>
            <option value="">the config’s{data && !params.estimator ? ` (${ESTIMATOR_LABELS[data.config.estimator]})` : ""}</option>
            {ESTIMATORS.map((e) => (
              <option key={e} value={e}>
                {ESTIMATOR_LABELS[e]}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-0.5">
          <span className="font-medium text-zinc-600 dark:text-zinc-400">Compare with</span>
          <select
            className={select + " w-64"}
            data-testid="compare-select"
            value={params.compare ?? ""}
            onChange={(e) => onChange({ ...params, compare: e.target.value ? Number(e.target.value) : null, cc: "" })}
          >
            <option value="">nothing</option>
            <MissingOption id={params.compare} list={list} />
            {list.map((it) => (
              <option key={it.id} value={it.id}>
                #{it.number} · {it.config.estimator}
                {it.note ? ` · ${it.note.slice(0, 40)}` : ""}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-0.5">
          <span className="font-medium text-zinc-600 dark:text-zinc-400">
            <kbd className={kbd}>t</kbd>/<kbd className={kbd}>T</kbd> jumps to tier
          </span>
          <select
            className={select}
            data-testid="jump-tier-select"
            value={params.tier ?? "soft"}
            onChange={(e) => onChange({ ...params, tier: e.target.value as TierName })}
          >
            {TIER_NAMES.map((t) => (
              <option key={t} value={t}>
                {t} ({counts.get(t) ?? 0})
              </option>
            ))}
          </select>
        </label>
        <div className="ml-auto flex flex-col items-end gap-0.5 self-center text-right">
          <span className="text-zinc-700 dark:text-zinc-300" data-testid="config-label">
            {data ? (
              <>
                Annotated under <b>{data.config.label}</b> · {ESTIMATOR_LABELS[data.config.estimator]}
              </>
            ) : error ? null : (
              "loading annotations…"
            )}
            {loading && data ? <span className="ml-1 text-zinc-400">(updating…)</span> : null}
          </span>
          <Link href={`/experiments/${experimentId}/calibrate${workbench.size ? `?${workbench}` : ""}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
            open this config in the workbench ↗
          </Link>
        </div>
      </div>
      {error ? <p className="text-red-700 dark:text-red-400" role="alert">Annotations could not be loaded: {error.message}</p> : null}
      {data?.config.rejected.length ? <p className="text-amber-700 dark:text-amber-400">Ignored config entries in the link: {data.config.rejected.join(", ")}</p> : null}
      <div className="flex flex-wrap items-center gap-1.5" data-testid="tier-legend">
        {TIER_NAMES.map((t) => (
          <span key={t} className="inline-flex items-center gap-1">
            <TierChip tier={t} muted={!counts.get(t)} />
            <span className="font-mono text-zinc-600 tabular-nums dark:text-zinc-400">{counts.get(t) ?? 0}</span>
          </span>
        ))}
        <span className="ml-2 text-zinc-500 dark:text-zinc-400">turns in this view · hover or focus a turn’s chip for the reason</span>
      </div>
      {cmp ? (
        <div className="rounded-md bg-amber-50 px-2.5 py-2 text-amber-950 ring-1 ring-amber-200 ring-inset dark:bg-amber-950/40 dark:text-amber-100 dark:ring-amber-900" data-testid="compare-summary">
          <p>
            <b data-testid="compare-changed">{cmp.summary.changed}</b> of {cmp.summary.turns} turns change under <b>{cmp.config.label}</b> ({ESTIMATOR_LABELS[cmp.config.estimator]}):{" "}
            <span data-testid="compare-kind-tier">tier {cmp.summary.by_kind.tier}</span> ·{" "}
            <span data-testid="compare-kind-reward">reward {cmp.summary.by_kind.reward}</span> ·{" "}
            <span data-testid="compare-kind-sign">advantage sign {cmp.summary.by_kind.sign}</span>
            <span className="ml-2 text-amber-800 dark:text-amber-300">
              <kbd className={kbd}>c</kbd>/<kbd className={kbd}>C</kbd> next/previous change
            </span>
          </p>
          {Object.keys(cmp.summary.transitions).length ? (
            <p className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1">
              <span className="text-amber-800 dark:text-amber-300">tier moves:</span>
              {Object.entries(cmp.summary.transitions)
                .sort((a, b) => b[1] - a[1])
                .map(([k, v]) => (
                  <span key={k} className="font-mono">
                    {k} × {v}
                  </span>
                ))}
            </p>
          ) : null}
          <p className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1" data-testid="compare-by-tier">
            <span className="text-amber-800 dark:text-amber-300">changed turns per tier (now → compared):</span>
            {TIER_NAMES.filter((t) => cmp.summary.by_tier[t].from || cmp.summary.by_tier[t].to).map((t) => (
              <span key={t} className="inline-flex items-center gap-1">
                <TierChip tier={t} /> <span className="font-mono">−{cmp.summary.by_tier[t].from} / +{cmp.summary.by_tier[t].to}</span>
              </span>
            ))}
            {TIER_NAMES.every((t) => !cmp.summary.by_tier[t].from && !cmp.summary.by_tier[t].to) ? <span>no tier changes</span> : null}
          </p>
          {groupId ? <OtherChangedGroups experimentId={experimentId} groupId={groupId} params={params} /> : null}
        </div>
      ) : null}
    </section>
  );
}

/** The URL's iteration while the list loads (or when it belongs to another experiment), so the select never shows a wrong choice. */
function MissingOption({ id, list }: { id: number | null; list: { id: number }[] }) {
  if (id === null || list.some((it) => it.id === id)) return null;
  return <option value={id}>iteration id {id}</option>;
}
