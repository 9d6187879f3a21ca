"use client";

/**
 * Iterations: save the edited config as an immutable version (with a note), the timeline of
 * versions, load one into the editor, diff two, and evaluate the base iteration on another
 * experiment.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { memo, useMemo, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import type { IterationMetrics, RewardConfig, RewardConfigIteration } from "@/lib/calibration/api-types";
import {
  createIterationRequest,
  evaluateIterationQueryOptions,
  experimentsListQueryOptions,
  iterationDiffQueryOptions,
} from "@/lib/api-client/calibration";
import { queryKeys } from "@/lib/api-client/keys";
import { IterationTimeline } from "./iteration-timeline";
import { IterationDiffBrowserLink } from "@/components/rollouts/changed-groups";
import { fmt, fmtPct, fmtShare, timelineSeries } from "./series";

const when = (ms: number) => new Date(ms).toLocaleString("en-GB", { dateStyle: "short", timeStyle: "short" });
/** Snapshots saved before the three-way stop rule have only stop_rule_met. */
const stopRuleLabel = (m: IterationMetrics) =>
  m.stop_rule_status === "undecided" ? "undecided (no direction)" : m.stop_rule_met ? "met" : "not met";

/** Memoised: it shows the edited config, not the analysis result, so a new result does not redraw it. */
export const IterationsPanel = memo(function IterationsPanel({
  experimentId,
  iterations,
  baseId,
  config,
  dirty,
  compare,
  evaluateOn,
  onSaved,
  onLoad,
  onCompare,
  onEvaluateOn,
}: {
  experimentId: number;
  iterations: RewardConfigIteration[];
  baseId: number | null;
  config: RewardConfig;
  /** The editor differs from the base iteration. */
  dirty: boolean;
  compare: number[];
  evaluateOn: number | null;
  onSaved: (it: RewardConfigIteration) => void;
  onLoad: (it: RewardConfigIteration) => void;
  onCompare: (ids: number[]) => void;
  onEvaluateOn: (experimentId: number | null) => void;
}) {
  const qc = useQueryClient();
  const [note, setNote] = useState("");
  const save = useMutation({
    mutationFn: () => createIterationRequest({ experiment_id: experimentId, parent_id: baseId, config, note: note.trim() || undefined }),
    onSuccess: async ({ iteration }) => {
      setNote("");
      await qc.invalidateQueries({ queryKey: queryKeys.calibration.iterations(experimentId) });
      onSaved(iteration);
    },
  });
  const toggleCompare = (id: number) => {
    if (compare.includes(id)) onCompare(compare.filter((x) => x !== id));
    else onCompare([...compare, id].slice(-2));
  };
  const points = useMemo(() => timelineSeries(iterations), [iterations]);
  return (
    <section className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900" data-testid="iterations-panel">
      <div className="mb-3 flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">Iterations</h2>
          <p className="mt-0.5 text-xs text-zinc-600 dark:text-zinc-400">Each saved version is immutable and keeps the metrics it had on this experiment.</p>
        </div>
        <form
          className="flex flex-wrap items-center gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <input
            value={note}
            onChange={(e) => setNote(e.target.value)}
            placeholder="note (what changed and why)"
            aria-label="Iteration note"
            data-testid="iteration-note"
            maxLength={500}
            className="h-9 w-64 rounded-md border border-zinc-300 bg-white px-2 text-sm text-zinc-900 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100"
          />
          <Button type="submit" variant="primary" disabled={save.isPending} data-testid="save-iteration">
            {save.isPending ? "Saving…" : dirty ? "Save iteration" : "Save iteration (unchanged)"}
          </Button>
        </form>
      </div>
      {save.isError ? <p className="mb-2 text-xs text-red-600 dark:text-red-400">{(save.error as Error).message}</p> : null}
      {points.length ? <IterationTimeline points={points} selectedId={baseId} /> : null}
      <div className="mt-3 overflow-x-auto">
        <table className="w-full text-xs" data-testid="iterations-list">
          <thead>
            <tr className="border-b border-zinc-200 text-left text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
              <th className="py-1.5 pr-2 font-medium">diff</th>
              <th className="py-1.5 pr-2 font-medium">#</th>
              <th className="py-1.5 pr-2 font-medium">note</th>
              <th className="py-1.5 pr-2 font-medium">estimator</th>
              <th className="py-1.5 pr-2 text-right font-medium">mismatches</th>
              <th className="py-1.5 pr-2 text-right font-medium">Corr(r̄, o)</th>
              <th className="py-1.5 pr-2 text-right font-medium">dead</th>
              <th className="py-1.5 pr-2 text-right font-medium">pass</th>
              <th className="py-1.5 pr-2 font-medium">saved</th>
              <th className="py-1.5" />
            </tr>
          </thead>
          <tbody>
            {[...iterations].reverse().map((it) => (
              <tr
                key={it.id}
                data-testid={`iteration-row-${it.id}`}
                className={
                  "border-b border-zinc-100 text-zinc-800 last:border-0 dark:border-zinc-800/60 dark:text-zinc-200 " +
                  (it.id === baseId ? "bg-indigo-50/70 dark:bg-indigo-950/40" : "")
                }
              >
                <td className="py-1.5 pr-2">
                  <input type="checkbox" aria-label={`Compare iteration ${it.number}`} checked={compare.includes(it.id)} onChange={() => toggleCompare(it.id)} className="accent-indigo-600" />
                </td>
                <td className="py-1.5 pr-2 font-mono">
                  #{it.number} {it.id === baseId ? <Badge tone="blue">base</Badge> : null}
                </td>
                <td className="max-w-56 truncate py-1.5 pr-2" title={it.note ?? ""}>
                  {it.note ?? <span className="text-zinc-400 dark:text-zinc-500">—</span>}
                </td>
                <td className="py-1.5 pr-2">{it.config.estimator}</td>
                <td className={"py-1.5 pr-2 text-right font-mono tabular-nums " + (it.metrics?.mismatches ? "text-red-600 dark:text-red-400" : "")}>
                  {it.metrics ? it.metrics.mismatches : "n/a"}
                </td>
                <td className="py-1.5 pr-2 text-right font-mono tabular-nums">{fmt(it.metrics?.corr_mean_reward_outcome, 3)}</td>
                <td className="py-1.5 pr-2 text-right font-mono tabular-nums">{fmtPct(it.metrics?.dead_turn_pct, 1)}</td>
                <td className="py-1.5 pr-2 text-right font-mono tabular-nums">{fmtShare(it.metrics?.pass_rate, 1)}</td>
                <td className="py-1.5 pr-2 whitespace-nowrap text-zinc-600 dark:text-zinc-400">{when(it.created_at)}</td>
                <td className="py-1.5 text-right">
                  <Button size="sm" onClick={() => onLoad(it)} data-testid={`iteration-load-${it.id}`}>
                    Load
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {compare.length === 2 ? <IterationDiff a={compare[0]} b={compare[1]} /> : compare.length === 1 ? <p className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">Pick one more iteration to diff.</p> : null}
      <EvaluateElsewhere experimentId={experimentId} iterationId={baseId} evaluateOn={evaluateOn} onEvaluateOn={onEvaluateOn} />
    </section>
  );
});

/** Which way is better for a metric delta (colour only where the direction is unambiguous). */
function betterWhen(metric: string): "higher" | "lower" | null {
  if (metric === "mismatches" || metric === "undefined_direction" || metric.startsWith("dead_turn")) return "lower";
  if (metric.startsWith("corr_") || metric === "pass_rate") return "higher";
  return null;
}

const num = (v: number | null) => (v === null ? "n/a" : Number.isInteger(v) ? String(v) : fmt(v, 3));

const show = (v: unknown) => (v === undefined ? "—" : typeof v === "number" ? fmt(v, 3).replace(/\.?0+$/, "") || "0" : JSON.stringify(v));

function IterationDiff({ a, b }: { a: number; b: number }) {
  const q = useQuery(iterationDiffQueryOptions(a, b));
  if (q.isError) return <p className="mt-3 text-xs text-red-600 dark:text-red-400">{(q.error as Error).message}</p>;
  const d = q.data;
  if (!d) return <p className="mt-3 text-xs text-zinc-600 dark:text-zinc-400">Loading diff…</p>;
  return (
    <div className="mt-4 grid gap-4 md:grid-cols-2" data-testid="iteration-diff">
      {d.a.experiment_id !== null && (d.same_experiment || d.a.experiment_id === d.b.experiment_id) ? (
        <div className="md:col-span-2">
          <IterationDiffBrowserLink experimentId={d.a.experiment_id} a={d.a.id} b={d.b.id} />
        </div>
      ) : null}
      <div>
        <h3 className="mb-1 text-xs font-semibold text-zinc-900 dark:text-zinc-100">
          Config changes #{d.a.number} → #{d.b.number}
        </h3>
        {d.changes.length === 0 ? (
          <p className="text-xs text-zinc-600 dark:text-zinc-400">Identical configs.</p>
        ) : (
          <table className="w-full text-xs">
            <tbody>
              {d.changes.map((c) => (
                <tr key={c.key} className="border-b border-zinc-100 text-zinc-800 last:border-0 dark:border-zinc-800/60 dark:text-zinc-200">
                  <td className="py-1 pr-2 font-mono">{c.key}</td>
                  <td className="max-w-40 truncate py-1 pr-2 text-right font-mono text-red-700 dark:text-red-400" title={show(c.a)}>
                    {show(c.a)}
                  </td>
                  <td className="px-1 text-zinc-400">→</td>
                  <td className="max-w-40 truncate py-1 font-mono text-emerald-700 dark:text-emerald-400" title={show(c.b)}>
                    {show(c.b)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <div>
        <h3 className="mb-1 text-xs font-semibold text-zinc-900 dark:text-zinc-100">
          Metric deltas {d.same_experiment ? "" : "(different experiments: not comparable)"}
        </h3>
        <table className="w-full text-xs">
          <tbody>
            {d.metric_deltas.map((m) => (
              <tr key={m.metric} className="border-b border-zinc-100 text-zinc-800 last:border-0 dark:border-zinc-800/60 dark:text-zinc-200">
                <td className="py-1 pr-2 font-mono">{m.metric}</td>
                <td className="py-1 pr-2 text-right font-mono tabular-nums">{num(m.a)}</td>
                <td className="px-1 text-zinc-400">→</td>
                <td className="py-1 pr-2 text-right font-mono tabular-nums">{num(m.b)}</td>
                <td
                  className={
                    "py-1 text-right font-mono tabular-nums " +
                    (m.delta === null || m.delta === 0 || betterWhen(m.metric) === null
                      ? ""
                      : (m.delta > 0) === (betterWhen(m.metric) === "higher")
                        ? "text-emerald-700 dark:text-emerald-400"
                        : "text-red-700 dark:text-red-400")
                  }
                >
                  {m.delta === null ? "n/a" : m.delta === 0 ? "0" : `${m.delta > 0 ? "+" : ""}${num(m.delta)}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function EvaluateElsewhere({
  experimentId,
  iterationId,
  evaluateOn,
  onEvaluateOn,
}: {
  experimentId: number;
  iterationId: number | null;
  evaluateOn: number | null;
  onEvaluateOn: (id: number | null) => void;
}) {
  const list = useQuery(experimentsListQueryOptions());
  const others = (list.data?.experiments ?? []).filter((e) => e.id !== experimentId && e.rollouts_done > 0);
  const ev = useQuery({ ...evaluateIterationQueryOptions(iterationId ?? 0, evaluateOn ?? 0), enabled: iterationId !== null && evaluateOn !== null });
  const m = ev.data?.metrics;
  const base = ev.data?.baseline;
  const rows: { label: string; here: string; there: string }[] = m
    ? [
        { label: "rollouts", here: String(base?.n_rollouts ?? "n/a"), there: String(m.n_rollouts) },
        { label: "pass rate", here: fmtShare(base?.pass_rate, 1), there: fmtShare(m.pass_rate, 1) },
        { label: "mismatches", here: base ? String(base.mismatches) : "n/a", there: String(m.mismatches) },
        { label: "Corr(r̄, o)", here: fmt(base?.corr_mean_reward_outcome, 3), there: fmt(m.corr_mean_reward_outcome, 3) },
        { label: "Corr(adv, out)", here: fmt(base?.corr_adv_outcome, 3), there: fmt(m.corr_adv_outcome, 3) },
        { label: "dead turns", here: fmtPct(base?.dead_turn_pct, 1), there: fmtPct(m.dead_turn_pct, 1) },
        { label: "misaligned", here: base ? base.misaligned.join(", ") || "—" : "n/a", there: m.misaligned.join(", ") || "—" },
        { label: "no direction", here: base ? String(base.undefined_direction ?? "n/a") : "n/a", there: String(m.undefined_direction ?? "n/a") },
        { label: "stop rule", here: base ? stopRuleLabel(base) : "n/a", there: stopRuleLabel(m) },
      ]
    : [];
  return (
    <div className="mt-4 border-t border-zinc-200 pt-3 dark:border-zinc-800" data-testid="evaluate-elsewhere">
      <div className="flex flex-wrap items-center gap-2 text-xs text-zinc-700 dark:text-zinc-300">
        <span className="font-semibold text-zinc-900 dark:text-zinc-100">Evaluate the base iteration on another experiment:</span>
        <select
          aria-label="Experiment to evaluate on"
          value={evaluateOn ?? ""}
          disabled={iterationId === null}
          onChange={(e) => onEvaluateOn(e.target.value ? Number(e.target.value) : null)}
          className="h-7 rounded-md border border-zinc-300 bg-white px-1.5 text-xs text-zinc-900 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100"
        >
          <option value="">{others.length ? "pick an experiment…" : "no other experiment with rollouts"}</option>
          {others.map((e) => (
            <option key={e.id} value={e.id}>
              #{e.id} {e.name} ({e.rollouts_done} rollouts)
            </option>
          ))}
        </select>
        {iterationId === null ? <span>(save or load an iteration first)</span> : null}
        {ev.isFetching ? <span>computing…</span> : null}
        {ev.isError ? <span className="text-red-600 dark:text-red-400">{(ev.error as Error).message}</span> : null}
      </div>
      {m ? (
        <table className="mt-2 text-xs" data-testid="evaluate-result">
          <thead>
            <tr className="text-left text-zinc-600 dark:text-zinc-400">
              <th className="pr-4 font-medium">metric</th>
              <th className="pr-4 text-right font-medium">this experiment</th>
              <th className="text-right font-medium">experiment #{evaluateOn}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.label} className="text-zinc-800 dark:text-zinc-200">
                <td className="pr-4">{r.label}</td>
                <td className="pr-4 text-right font-mono tabular-nums">{r.here}</td>
                <td className="text-right font-mono tabular-nums">{r.there}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
