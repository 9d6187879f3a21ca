"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { jobStatuses, type JobStatus } from "@/lib/jobs/status";
import { EnqueueDemoForm } from "./enqueue-demo-form";
import { jobsQueryOptions } from "@/lib/api-client/jobs";
import { JobsTable, JobsTableSkeleton } from "./jobs-table";

const PAGE = 50;

export function JobsPanel() {
  const [status, setStatus] = useState<JobStatus | undefined>(undefined);
  const [limit, setLimit] = useState(PAGE);
  const query = useQuery(jobsQueryOptions({ status, limit }));
  const counts = query.data?.counts;
  const total = counts ? Object.values(counts).reduce((a, b) => a + b, 0) : 0;
  const active = counts ? counts.queued + counts.running : 0;

  return (
    <div className="space-y-4">
      {/* Demo jobs exist only where the operator enabled test jobs (WRIT_ENABLE_TEST_JOBS). */}
      {query.data?.jobTypes.includes("demo.sleep") ? (
        <Card className="p-4">
          <h2 className="mb-3 text-sm font-semibold">Enqueue a demo job</h2>
          <EnqueueDemoForm />
        </Card>
      ) : null}

      <Card>
        <div className="flex flex-wrap items-center justify-between gap-3 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
          <div className="flex flex-wrap gap-1" role="tablist" aria-label="Filter by status">
            {[undefined, ...jobStatuses].map((s) => {
              const selected = s === status;
              const n = s ? counts?.[s] : total;
              return (
                <button
                  key={s ?? "all"}
                  role="tab"
                  aria-selected={selected}
                  onClick={() => {
                    setStatus(s);
                    setLimit(PAGE);
                  }}
                  className={
                    "rounded-md px-2.5 py-1 text-xs font-medium capitalize transition-colors " +
                    (selected
                      ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900"
                      : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800")
                  }
                >
                  {s ?? "all"}
                  {n !== undefined ? <span className="ml-1 tabular-nums opacity-70">{n}</span> : null}
                </button>
              );
            })}
          </div>
          <div className="text-xs text-zinc-500 dark:text-zinc-400" aria-live="polite">
            {active > 0 ? `${active} active · updating every second` : query.isFetching ? "refreshing…" : "up to date"}
          </div>
        </div>

        {query.isPending ? (
          <JobsTableSkeleton />
        ) : query.isError ? (
          <EmptyState title="Could not load jobs">{query.error.message}</EmptyState>
        ) : query.data.jobs.length === 0 ? (
          <EmptyState title={status ? `No ${status} jobs` : "No jobs yet"}>
            {status
              ? "Pick another status above to see the rest."
              : "Jobs appear here when experiments run, tasks are synthesized or exports are written."}
          </EmptyState>
        ) : (
          <>
            <JobsTable jobs={query.data.jobs} />
            {query.data.nextCursor ? (
              <div className="border-t border-zinc-200 px-4 py-3 text-center dark:border-zinc-800">
                <Button size="sm" variant="ghost" onClick={() => setLimit((l) => Math.min(l + PAGE, 500))}>
                  Show more
                </Button>
              </div>
            ) : null}
          </>
        )}
      </Card>
    </div>
  );
}
