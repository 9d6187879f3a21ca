"use client";

import { useQuery } from "@tanstack/react-query";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { WORKERS_REFRESH_MS, workersQueryOptions } from "@/lib/api-client/workers";
import { WorkersTable, WorkersTableSkeleton } from "./workers-table";

/** The worker pool on the jobs page: every `npm run worker` process, by host, refreshed every WORKERS_REFRESH_MS. */
export function WorkersPanel() {
  const query = useQuery(workersQueryOptions());
  const hosts = query.data?.hosts ?? [];
  const workers = hosts.reduce((n, h) => n + h.workers.length, 0);
  const live = hosts.reduce((n, h) => n + h.live, 0);

  return (
    <Card role="region" aria-labelledby="workers-heading">
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
        <h2 id="workers-heading" className="text-sm font-semibold">
          Workers
        </h2>
        <div className="text-xs text-zinc-500 dark:text-zinc-400" aria-live="polite" data-testid="workers-summary">
          {query.data
            ? `${live} live of ${workers} · ${hosts.length} ${hosts.length === 1 ? "host" : "hosts"} · updating every ${WORKERS_REFRESH_MS / 1_000} s`
            : null}
        </div>
      </div>
      {query.isPending ? (
        <WorkersTableSkeleton />
      ) : query.isError ? (
        <EmptyState title="Could not load workers">{query.error.message}</EmptyState>
      ) : workers === 0 ? (
        <EmptyState title="No workers">
          Start one with <code className="font-mono">npm run worker</code>.
        </EmptyState>
      ) : (
        <WorkersTable hosts={hosts} checkedAt={query.data.checkedAt} />
      )}
    </Card>
  );
}
