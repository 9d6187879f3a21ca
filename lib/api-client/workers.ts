/**
 * Browser access to GET /api/workers: the worker pool by host, polled while the jobs page is
 * open (heartbeat ages and throughput change even when no job does).
 */
import { queryOptions } from "@tanstack/react-query";
import type { WorkersOverview } from "../jobs/workers-view";
import { queryKeys } from "./keys";
import { requestJson as request } from "./request";

export type { WorkerHostView, WorkerJobView, WorkerState, WorkerView, WorkersOverview } from "../jobs/workers-view";

/** Often enough that a worker's heartbeat age and current job read as live. */
export const WORKERS_REFRESH_MS = 2_000;

export function workersQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.jobs.workers(),
    queryFn: () => request<WorkersOverview>("/api/workers"),
    refetchInterval: WORKERS_REFRESH_MS,
  });
}
