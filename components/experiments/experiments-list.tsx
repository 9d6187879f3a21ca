"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { DriverLabel } from "@/components/rollouts/outcome-badges";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ProgressBar } from "@/components/ui/progress-bar";
import type { ExperimentSummary } from "@/lib/experiments/api-types";
import { experimentsQueryOptions, isFinalStatus } from "@/lib/api-client/experiments";
import { ExperimentStatusBadge, progressTone } from "./experiment-status-badge";
import { formatCompact, formatInt, formatPct, formatTimestamp } from "./format";

const th = "px-3 py-2.5 text-left text-xs font-semibold tracking-wide whitespace-nowrap text-zinc-500 uppercase dark:text-zinc-400";
const td = "px-3 py-3 align-top";

export function ExperimentsList() {
  const query = useQuery(experimentsQueryOptions());
  const running = query.data?.experiments.filter((e) => !isFinalStatus(e.status)).length ?? 0;
  return (
    <Card>
      <div className="flex items-center justify-between border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
        <h2 className="text-sm font-semibold">All experiments</h2>
        <span className="text-xs text-zinc-500 dark:text-zinc-400" aria-live="polite">
          {running > 0 ? `${running} running · updating every second` : query.isFetching ? "refreshing…" : "up to date"}
        </span>
      </div>
      {query.isPending ? (
        <ListSkeleton />
      ) : query.isError ? (
        <EmptyState title="Could not load experiments">{query.error.message}</EmptyState>
      ) : query.data.experiments.length === 0 ? (
        <EmptyState title="No experiments yet">
          Create one with <Link className="font-medium text-indigo-700 hover:underline dark:text-indigo-300" href="/experiments/new">New experiment</Link>, or import rollouts with{" "}
          <code className="font-mono text-xs">writ import --from jsonl FILE --experiment NAME</code>.
        </EmptyState>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full min-w-[1000px] border-collapse text-sm">
            <thead className="border-b border-zinc-200 bg-zinc-50/80 dark:border-zinc-800 dark:bg-zinc-900/60">
              <tr>
                <th className={th}>Name</th>
                <th className={th}>Task set</th>
                <th className={th}>Agents</th>
                <th className={th + " w-56"}>Status</th>
                <th className={th + " text-right"}>Pass rate</th>
                <th className={th + " text-right"}>Rollouts</th>
                <th className={th + " text-right"}>Tokens</th>
                <th className={th + " text-right"}>Created</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {query.data.experiments.map((e) => (
                <ExperimentRow key={e.id} e={e} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

function ExperimentRow({ e }: { e: ExperimentSummary }) {
  return (
    <tr data-testid={`experiment-row-${e.id}`} data-status={e.status} className="hover:bg-zinc-50/60 dark:hover:bg-zinc-800/30">
      <td className={td}>
        <Link href={`/experiments/${e.id}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
          {e.name}
        </Link>
        <div className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">
          #{e.id} · N = {e.group_size}
          {e.source === "import" ? " · imported" : ""}
        </div>
      </td>
      <td className={td + " text-zinc-700 dark:text-zinc-300"}>{e.task_set_name ?? <span className="text-zinc-400">—</span>}</td>
      <td className={td + " max-w-64 text-xs text-zinc-700 dark:text-zinc-300"}>
        <div className="flex min-w-0 flex-col gap-1">
          <DriverLabel label={e.agent_label} />
          <DriverLabel label={e.user_label} />
        </div>
      </td>
      <td className={td}>
        <div className="mb-1.5 flex items-center justify-between gap-2">
          <ExperimentStatusBadge status={e.status} />
          <span className="font-mono text-xs text-zinc-500 tabular-nums" data-testid="experiment-progress">
            {e.rollouts_done}/{e.rollouts_total}
          </span>
        </div>
        <ProgressBar value={e.rollouts_done} max={e.rollouts_total} tone={progressTone(e.status)} label={`Progress of ${e.name}`} />
        {e.error ? <div className="mt-1 line-clamp-2 text-xs break-words text-red-600 dark:text-red-400">{e.error}</div> : null}
      </td>
      <td className={td + " text-right font-mono tabular-nums"}>{formatPct(e.pass_rate)}</td>
      <td className={td + " text-right font-mono tabular-nums"}>
        {formatInt(e.rollouts_done)}
        {e.rollouts_errored > 0 ? <div className="text-xs text-red-600 dark:text-red-400">{e.rollouts_errored} errored</div> : null}
      </td>
      <td className={td + " text-right font-mono tabular-nums"} title={`${formatInt(e.tokens.total)} tokens`}>
        {formatCompact(e.tokens.total)}
      </td>
      <td className={td + " text-right text-xs whitespace-nowrap text-zinc-500 dark:text-zinc-400"}>{formatTimestamp(e.created_at)}</td>
    </tr>
  );
}

function ListSkeleton() {
  return (
    <div className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-busy="true" aria-label="Loading experiments">
      {Array.from({ length: 4 }, (_, i) => (
        <div key={i} className="flex items-center gap-6 px-4 py-4">
          <div className="h-3 w-40 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
          <div className="h-3 w-24 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
          <div className="h-1.5 flex-1 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
          <div className="h-3 w-16 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
        </div>
      ))}
    </div>
  );
}
