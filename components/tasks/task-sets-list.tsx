"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { ProgressBar } from "@/components/ui/progress-bar";
import { TaskSetStatusBadge } from "./status-badge";
import { taskSetsQueryOptions } from "@/lib/api-client/tasks";

const th = "px-4 py-2.5 text-left text-xs font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400";
const td = "px-4 py-3 align-top";

/** Every task set with counts and status; polls while any is being synthesized. */
export function TaskSetsList({ environmentNames }: { environmentNames: Record<number, string> }) {
  const query = useQuery(taskSetsQueryOptions());
  if (query.isPending) {
    return (
      <div className="space-y-2 p-4" aria-busy="true">
        {[0, 1, 2].map((i) => (
          <div key={i} className="h-8 animate-pulse rounded bg-zinc-100 dark:bg-zinc-800" />
        ))}
      </div>
    );
  }
  if (query.isError) return <EmptyState title="Could not load task sets">{query.error.message}</EmptyState>;
  const sets = query.data.task_sets;
  if (sets.length === 0) {
    return <EmptyState title="No task sets yet">Synthesize one with the form above, or import a τ² tasks.json.</EmptyState>;
  }
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[760px] border-collapse text-sm">
        <thead className="border-b border-zinc-200 bg-zinc-50/80 dark:border-zinc-800 dark:bg-zinc-900/60">
          <tr>
            <th className={th}>Task set</th>
            <th className={th}>Source</th>
            <th className={th}>Environment</th>
            <th className={th + " w-28"}>Status</th>
            <th className={th + " w-56"}>Tasks</th>
            <th className={th + " w-40"}>Created</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {sets.map((s) => {
            const active = s.status === "queued" || s.status === "running";
            return (
              <tr key={s.id} data-testid="task-set-row" data-name={s.name} className="hover:bg-zinc-50/60 dark:hover:bg-zinc-800/30">
                <td className={td}>
                  <Link className="font-medium text-indigo-700 hover:underline dark:text-indigo-400" href={`/tasks/${s.id}`}>
                    {s.name}
                  </Link>
                  {s.error && !active ? <div className="mt-1 max-w-md text-xs text-red-600 dark:text-red-400">{s.error}</div> : null}
                </td>
                <td className={td + " text-zinc-600 dark:text-zinc-400"}>{s.source}</td>
                <td className={td + " text-zinc-600 dark:text-zinc-400"}>
                  {s.environment_id !== null ? (environmentNames[s.environment_id] ?? `#${s.environment_id}`) : "generated (task seed)"}
                </td>
                <td className={td}>
                  <TaskSetStatusBadge status={s.status} />
                </td>
                <td className={td}>
                  {active && s.job ? (
                    <div className="space-y-1">
                      <ProgressBar value={s.job.progress.done} max={s.job.progress.total} label={`${s.name} progress`} />
                      <div className="text-xs text-zinc-500 tabular-nums">
                        {s.job.progress.done}/{s.job.progress.total ?? "?"} cells
                      </div>
                    </div>
                  ) : (
                    <span className="tabular-nums" data-testid="task-count">
                      {s.task_count.toLocaleString("en-US")}
                      {s.requested !== null && s.requested !== s.task_count ? (
                        <span className="text-zinc-500"> of {s.requested.toLocaleString("en-US")} requested</span>
                      ) : null}
                    </span>
                  )}
                </td>
                <td className={td + " text-xs text-zinc-500 tabular-nums"}>{new Date(s.created_at).toLocaleString("en-GB")}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
