import { ProgressBar } from "@/components/ui/progress-bar";
import type { ExperimentDetailResponse } from "@/lib/experiments/api-types";
import { progressTone } from "./experiment-status-badge";
import { formatCompact, formatDurationMs, formatInt, formatPct } from "./format";

type Experiment = ExperimentDetailResponse["experiment"];

function Stat({ label, value, sub, testId }: { label: string; value: string; sub?: string; testId?: string }) {
  return (
    <div className="min-w-0">
      <div className="text-xs text-zinc-500 dark:text-zinc-400">{label}</div>
      <div className="mt-0.5 font-mono text-lg font-semibold tabular-nums" data-testid={testId}>
        {value}
      </div>
      {sub ? <div className="text-xs text-zinc-500 dark:text-zinc-400">{sub}</div> : null}
    </div>
  );
}

/** Rollouts done/total, pass rate so far, tokens, errors and ETA (pure: the parent polls). */
export function LiveProgress({ experiment }: { experiment: Experiment }) {
  const p = experiment.progress;
  const final = ["completed", "failed", "cancelled"].includes(experiment.status);
  const pct = p.total > 0 ? Math.floor((p.done / p.total) * 100) : 0;
  return (
    <section aria-label="Progress" className="space-y-4">
      <div>
        <div className="mb-1.5 flex items-baseline justify-between gap-2 text-sm">
          <span className="font-medium">
            Rollouts <span className="font-mono tabular-nums" data-testid="progress-count">{p.done}/{p.total}</span>
          </span>
          <span className="font-mono text-xs text-zinc-500 tabular-nums" data-testid="progress-pct">
            {pct}%
          </span>
        </div>
        <ProgressBar value={p.done} max={p.total} tone={progressTone(experiment.status)} label="Rollouts done" />
        {experiment.job?.progress_message && !final ? (
          <div className="mt-1 truncate text-xs text-zinc-500 dark:text-zinc-400">{experiment.job.progress_message}</div>
        ) : null}
      </div>
      <div className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-6">
        <Stat label="Pass rate so far" value={formatPct(p.pass_rate)} sub={`${formatInt(p.passed)} passed`} testId="stat-pass-rate" />
        <Stat label="Tokens" value={formatCompact(p.tokens.total)} sub={`${formatCompact(p.tokens.prompt)} in · ${formatCompact(p.tokens.completion)} out`} />
        <Stat label="Errored rollouts" value={formatInt(p.errored)} />
        <Stat label="In flight" value={formatInt(p.in_flight)} />
        <Stat label="Rate" value={p.rate_per_s === null ? "—" : `${p.rate_per_s.toFixed(p.rate_per_s < 10 ? 1 : 0)}/s`} sub="rollouts per second" />
        <Stat
          label={final ? "Elapsed" : "ETA"}
          value={final ? formatDurationMs(p.elapsed_ms) : formatDurationMs(p.eta_ms)}
          sub={final ? undefined : `elapsed ${formatDurationMs(p.elapsed_ms)}`}
          testId="stat-eta"
        />
      </div>
    </section>
  );
}
