"use client";

/** (7) The four estimators side by side on the same tiering and rewards: a table plus bars. */
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFrame, LegendItem } from "@/components/charts/chart-frame";
import { axisLine, axisTick, ChartTooltipBox, gridStroke } from "@/components/charts/chart-tooltip";
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
                <td className="py-1.5 pr-2 text-right font-mono tabular-nums">{fmt(r.corr_adv_outcome, 3)}</td>
                <td className="py-1.5 pr-2 text-right font-mono tabular-nums">{fmtPct(r.dead_turn_pct, 1)}</td>
                <td className="py-1.5 pr-2 text-right font-mono tabular-nums">{fmtPct(r.dead_turn_pct_cancel, 1)}</td>
                <td className="py-1.5">{r.misaligned.length ? r.misaligned.join(", ") : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="mt-3 grid grid-cols-2 gap-2">
        <MiniBars rows={rows} dataKey="mismatches" color={MISMATCH_COLOR} label="mismatches (tiers)" format={(v) => String(v)} />
        <MiniBars rows={rows} dataKey="corr_adv_outcome" color={CORR_COLOR} label="Corr(adv, out) (r)" format={(v) => fmt(v, 3)} domain={[-1, 1]} />
      </div>
    </ChartFrame>
  );
}

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
  return (
    <div>
      <div className="mb-1 text-center text-xs font-medium">{label}</div>
      <ResponsiveContainer width="100%" height={130}>
        <BarChart data={rows} margin={{ top: 4, right: 4, bottom: 4, left: 0 }}>
          <CartesianGrid {...gridStroke} vertical={false} />
          <XAxis dataKey="label" tick={{ ...axisTick, fontSize: 10 }} axisLine={axisLine} tickLine={false} interval={0} />
          <YAxis tick={axisTick} axisLine={axisLine} tickLine={axisLine} width={34} domain={domain ?? [0, "auto"]} allowDecimals={dataKey !== "mismatches"} />
          <Tooltip
            cursor={{ fill: "currentColor", fillOpacity: 0.08 }}
            content={({ active, payload }) => {
              const d = active ? (payload?.[0]?.payload as EstimatorRow | undefined) : undefined;
              return d ? <ChartTooltipBox title={d.label} rows={[{ label, value: format(d[dataKey]), color }]} /> : null;
            }}
          />
          <Bar dataKey={dataKey} isAnimationActive={false}>
            {rows.map((r) => (
              <Cell key={r.estimator} fill={color} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
