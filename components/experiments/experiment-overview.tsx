"use client";

/**
 * The finished-rollout overview: pass^k, W × B heatmaps (pass rate and tokens; each cell
 * links to the group list filtered to it), turn and token distributions, termination
 * reasons and policy violations. Data comes from the parent; charts take pure series.
 */
import { useMemo } from "react";
import { BarListChart } from "@/components/charts/bar-list-chart";
import { SERIES_COLORS } from "@/components/charts/chart-tooltip";
import { WBHeatmap } from "@/components/charts/wb-heatmap";
import { HistogramChart } from "@/components/charts/histogram-chart";
import { PassHatKChart } from "@/components/charts/pass-hat-k-chart";
import type { ExperimentOverviewResponse, HistogramBin, Termination } from "@/lib/experiments/api-types";
import { formatCompact, formatInt, formatPct, humanize } from "./format";
import { buildWBMatrix, groupsHrefForCell } from "./wb-matrix";

const TERMINATION_COLORS: Record<Termination, string> = {
  user_stop: SERIES_COLORS.secondary,
  agent_stop: SERIES_COLORS.primary,
  max_turns: SERIES_COLORS.warning,
  too_many_errors: SERIES_COLORS.danger,
  error: SERIES_COLORS.danger,
};

const toBins = (bins: readonly HistogramBin[]) => bins.map((b) => ({ x0: b.lo, x1: b.hi, count: b.count }));

export function ExperimentOverview({ experimentId, overview }: { experimentId: number; overview: ExperimentOverviewResponse }) {
  const matrix = useMemo(() => buildWBMatrix(overview.cells), [overview.cells]);
  const passValues = useMemo(() => matrix.cells.map((r) => r.map((c) => (c ? c.pass_rate : null))), [matrix]);
  const tokenValues = useMemo(() => matrix.cells.map((r) => r.map((c) => (c ? c.mean_tokens : null))), [matrix]);
  const hrefFor = ({ row, col }: { row: number; col: number }) => groupsHrefForCell(experimentId, matrix.rows[row].w, matrix.cols[col].b);
  const sampleTooltip = ({ row, col }: { row: number; col: number }) => {
    const c = matrix.cells[row][col];
    return c ? (
      <>
        n = {c.n} rollouts · {c.passed} passed
        <br />
        mean {formatInt(c.mean_tokens)} tokens · {c.mean_turns.toFixed(1)} turns
      </>
    ) : null;
  };

  const noTokens = overview.cells.every((c) => c.mean_tokens === 0);
  const terminations = (Object.entries(overview.terminations) as [Termination, number][])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([t, n]) => ({ label: humanize(t), value: n, color: TERMINATION_COLORS[t] }));
  const violations = Object.entries(overview.policy_violations)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([rule, n]) => ({ label: rule, value: n }));

  if (overview.rollouts_done === 0) {
    return (
      <div className="rounded-lg border border-dashed border-zinc-300 p-8 text-center text-sm text-zinc-500 dark:border-zinc-700 dark:text-zinc-400">
        The overview appears once the first rollouts finish.
      </div>
    );
  }

  return (
    <section aria-label="Overview" className="space-y-4" data-testid="experiment-overview">
      <div className="grid gap-4 lg:grid-cols-2">
        <PassHatKChart points={overview.pass_hat_k} />
        <BarListChart
          title="Termination reasons"
          description="How finished rollouts ended."
          items={terminations}
          valueLabel="rollouts"
          testId="chart-terminations"
        />
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <WBHeatmap
          variant="overview"
          testId="heatmap-pass-rate"
          title="Pass rate by W × B"
          description="Rows: write decisions per task (W). Columns: evidence reads per decision (B). Click a cell to browse its groups."
          rows={matrix.rows}
          cols={matrix.cols}
          values={passValues}
          domain={[0, 1]}
          scale="diverging"
          format={(v) => formatPct(v, 0)}
          legendLabel="pass rate"
          tooltip={sampleTooltip}
          cellHref={hrefFor}
        />
        <WBHeatmap
          variant="overview"
          testId="heatmap-tokens"
          title="Tokens per rollout by W × B"
          description={noTokens ? "Mean prompt + completion tokens of one rollout. Simulated drivers report none." : "Mean prompt + completion tokens of one rollout in the cell."}
          rows={matrix.rows}
          cols={matrix.cols}
          values={tokenValues}
          scale="sequential"
          format={(v) => formatCompact(v)}
          legendLabel="tokens"
          tooltip={sampleTooltip}
          cellHref={hrefFor}
        />
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <HistogramChart
          testId="chart-turns"
          title="Turns per rollout"
          description="Agent turns (assistant messages after the greeting)."
          bins={toBins(overview.turns_histogram)}
          xLabel="agent turns"
          integer
        />
        <HistogramChart
          testId="chart-tokens"
          title="Tokens per rollout"
          description={noTokens ? "Prompt + completion tokens. Simulated drivers call no model, so they report none." : "Prompt + completion tokens."}
          bins={toBins(overview.tokens_histogram)}
          xLabel="tokens"
          color={SERIES_COLORS.secondary}
          formatX={(v) => formatCompact(v)}
        />
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <BarListChart
          title="Policy violations by rule"
          description={`${formatInt(overview.rollouts_with_violations)} of ${formatInt(overview.rollouts_done)} rollouts have at least one.`}
          items={violations}
          valueLabel="violations"
          color={SERIES_COLORS.danger}
          emptyText="No policy violations"
          testId="chart-violations"
        />
        <BreakdownTable overview={overview} />
      </div>
    </section>
  );
}

/** Pass rate by user behaviour and, for mixed-preset runs, by simulated preset. */
function BreakdownTable({ overview }: { overview: ExperimentOverviewResponse }) {
  const rows = [
    ...overview.behaviors.map((b) => ({ kind: "behaviour", name: b.behavior ?? "n/a", n: b.n, passed: b.passed, rate: b.pass_rate })),
    ...overview.presets.map((p) => ({ kind: "simulated preset", name: p.preset, n: p.n, passed: p.passed, rate: p.pass_rate })),
  ];
  return (
    <figure className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <figcaption className="mb-3 text-sm font-semibold">Pass rate by user behaviour</figcaption>
      {rows.length === 0 ? (
        <div className="text-xs text-zinc-500">No behaviour metadata on these tasks.</div>
      ) : (
        <table className="w-full text-sm">
          <thead>
            <tr className="text-left text-xs text-zinc-500 dark:text-zinc-400">
              <th className="pb-1.5 font-medium">Behaviour</th>
              <th className="pb-1.5 text-right font-medium">Rollouts</th>
              <th className="pb-1.5 text-right font-medium">Passed</th>
              <th className="w-40 pb-1.5 pl-4 font-medium">Pass rate</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {rows.map((r) => (
              <tr key={`${r.kind}:${r.name}`}>
                <td className="py-1.5">
                  {humanize(r.name)}
                  {r.kind !== "behaviour" ? <span className="ml-1 text-xs text-amber-700 dark:text-amber-300">({r.kind})</span> : null}
                </td>
                <td className="py-1.5 text-right font-mono tabular-nums">{formatInt(r.n)}</td>
                <td className="py-1.5 text-right font-mono tabular-nums">{formatInt(r.passed)}</td>
                <td className="py-1.5 pl-4">
                  <div className="flex items-center gap-2">
                    <div className="h-1.5 flex-1 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800">
                      <div className="h-full rounded-full bg-emerald-500" style={{ width: `${Math.round(r.rate * 100)}%` }} />
                    </div>
                    <span className="w-11 text-right font-mono text-xs tabular-nums">{formatPct(r.rate, 0)}</span>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </figure>
  );
}
