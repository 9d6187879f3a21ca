"use client";

/** The workbench's sticky summary: mismatch badge, headline statistics and the recompute status. */
import { Badge } from "@/components/ui/badge";
import type { AnalysisResponse } from "@/lib/calibration/api-types";
import { fmt, fmtPct, fmtShare } from "./series";

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

export function SummaryBar({
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
