"use client";

/** (7) The four estimators side by side on the same tiering and rewards: a table plus bars. */
import { ChartFrame, LegendItem } from "@/components/charts/chart-frame";
import type { EstimatorKind } from "@/lib/calibration/api-types";
import { fmt, fmtPct, type EstimatorRow } from "./series";

const CORR_COLOR = "#6366f1";
const MISMATCH_COLOR = "#ef4444";

export function EstimatorsPanel({
  rows,
  active,
  onPick,
}: {
  rows: EstimatorRow[];
  active: EstimatorKind;
  onPick: (e: EstimatorKind) => void;
}) {
  return (
    <ChartFrame
      title="Estimators side by side"
      testId="chart-estimators"
      description="Same tiers and rewards under each estimator (γ, λ, ddof and scope from the editor). Click a row to use it."
      legend={
        <span className="flex flex-wrap gap-3">
          <LegendItem color={MISMATCH_COLOR} label="mismatches (tiers)" />
          <LegendItem color={CORR_COLOR} label="Corr(adv, out)" />
        </span>
      }
    >
      <div className="overflow-x-auto">
        <table className="w-full text-xs" data-testid="estimators-table">
          <thead>
            <tr className="border-b border-zinc-200 text-left dark:border-zinc-800">
              <th className="py-1.5 pr-2 font-medium">estimator</th>
              <th className="py-1.5 pr-2 text-right font-medium">mismatches</th>
              <th className="py-1.5 pr-2 text-right font-medium" title="Checked tiers whose mean advantage is 0: no direction, not a mismatch">
                ○ no direction
              </th>
              <th className="py-1.5 pr-2 text-right font-medium">Corr(adv, out)</th>
              <th className="py-1.5 pr-2 text-right font-medium">dead |A|≈0</th>
              <th className="py-1.5 pr-2 text-right font-medium">dead (cancel)</th>
              <th className="py-1.5 font-medium">misaligned</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr
                key={r.estimator}
                onClick={() => onPick(r.estimator)}
                aria-selected={r.estimator === active}
                data-testid={`estimator-row-${r.estimator}`}
                className={
                  "cursor-pointer border-b border-zinc-100 last:border-0 hover:bg-zinc-50 dark:border-zinc-800/60 dark:hover:bg-zinc-800/60 " +
                  (r.estimator === active ? "bg-indigo-50 font-semibold text-zinc-900 dark:bg-indigo-950/60 dark:text-zinc-50" : "")
                }
              >
                <td className="py-1.5 pr-2">{r.label}</td>
                <td className={"py-1.5 pr-2 text-right font-mono tabular-nums " + (r.mismatches ? "text-red-600 dark:text-red-400" : "text-emerald-700 dark:text-emerald-400")}>
                  {r.mismatches}
                </td>
                <td className={"py-1.5 pr-2 text-right font-mono tabular-nums " + (r.undefined_direction ? "text-zinc-700 dark:text-zinc-300" : "text-zinc-400 dark:text-zinc-600")}>
                  {r.undefined_direction}
                </td>
                <td className="py-1.5 pr-2 text-right font-mono tabular-nums">{fmt(r.corr_adv_outcome, 3)}</td>
                <td className="py-1.5 pr-2 text-right font-mono tabular-nums">{fmtPct(r.dead_turn_pct, 1)}</td>
                <td className="py-1.5 pr-2 text-right font-mono tabular-nums">{fmtPct(r.dead_turn_pct_cancel, 1)}</td>
                <td className="py-1.5">{r.misaligned.length ? r.misaligned.join(", ") : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="mt-3 grid gap-4 sm:grid-cols-2">
        <MiniBars rows={rows} dataKey="mismatches" color={MISMATCH_COLOR} label="mismatches (tiers, of 7)" format={(v) => String(v)} domain={[0, 7]} />
        <MiniBars rows={rows} dataKey="corr_adv_outcome" color={CORR_COLOR} label="Corr(adv, out) (r, −1…1)" format={(v) => fmt(v, 3)} domain={[-1, 1]} />
      </div>
    </ChartFrame>
  );
}

/**
 * Plain HTML bars (cheaper than a chart per redraw): one row per estimator, the value printed
 * at the bar's end and in the tooltip. Signed metrics grow from a centre zero line.
 */
function MiniBars({
  rows,
  dataKey,
  color,
  label,
  format,
  domain,
}: {
  rows: EstimatorRow[];
  dataKey: "mismatches" | "corr_adv_outcome";
  color: string;
  label: string;
  format: (v: number | null) => string;
  domain?: [number, number];
}) {
  const max = domain ? domain[1] : Math.max(1, ...rows.map((r) => r[dataKey] ?? 0));
  const signed = domain !== undefined && domain[0] < 0;
  return (
    <figure className="text-xs" aria-label={label}>
      <figcaption className="mb-1 text-center font-medium">{label}</figcaption>
      <div className="space-y-1">
        {rows.map((r) => {
          const v = r[dataKey];
          const frac = v === null ? 0 : Math.min(1, Math.abs(v) / max);
          const width = `${(signed ? 50 : 100) * frac}%`;
          const left = signed ? (v !== null && v < 0 ? `${50 - 50 * frac}%` : "50%") : "0%";
          return (
            <div key={r.estimator} className="grid grid-cols-[4.2rem_1fr_3rem] items-center gap-1.5" title={`${r.label}: ${label} = ${format(v)}`}>
              <span className="truncate">{r.label}</span>
              <span className="relative h-3 rounded-sm bg-zinc-100 dark:bg-zinc-800">
                {signed ? <span className="absolute inset-y-0 left-1/2 w-px bg-zinc-400 dark:bg-zinc-500" aria-hidden /> : null}
                <span className="absolute inset-y-0 rounded-sm" style={{ left, width, background: color }} />
              </span>
              <span className="text-right font-mono tabular-nums">{format(v)}</span>
            </div>
          );
        })}
      </div>
      <div className="mt-1 grid grid-cols-[4.2rem_1fr_3rem] gap-1.5 text-[10px] text-zinc-500 dark:text-zinc-400">
        <span />
        <span className="flex justify-between font-mono">
          <span>{signed ? domain![0] : 0}</span>
          {signed ? <span>0</span> : null}
          <span>{max}</span>
        </span>
        <span />
      </div>
    </figure>
  );
}
