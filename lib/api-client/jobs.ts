/**
 * Browser access to /api/jobs: the jobs list (polled while anything is queued or running), one
 * job (polled until it is final: the synthesis progress watches its job), and the mutations;
 * invalidations use queryKeys.jobs.
 */
import { queryOptions } from "@tanstack/react-query";
import type { JobCounts, PublicJob } from "../../db/queries/jobs";
import { queryKeys } from "./keys";
import type { JobsFilter } from "./params";
import { requestJson as request } from "./request";

export interface JobsResponse {
  jobs: PublicJob[];
  nextCursor: number | null;
  counts: JobCounts;
  jobTypes: string[];
}

export type { JobsFilter };

/** A job that can still change; while any exists the list keeps polling. */
export const isActive = (status: string) => status === "queued" || status === "running";

export function jobsQueryOptions(filter: JobsFilter) {
  const params = new URLSearchParams({ limit: String(filter.limit) });
  if (filter.status) params.set("status", filter.status);
  return queryOptions({
    queryKey: queryKeys.jobs.list(filter),
    queryFn: () => request<JobsResponse>(`/api/jobs?${params}`),
    // Poll while anything is queued or running; stop once every job is final.
    refetchInterval: (query) => {
      const counts = query.state.data?.counts;
      return counts && counts.queued + counts.running > 0 ? 1_000 : false;
    },
  });
}

/** One job, polled every 500 ms until it reaches a final status. */
export function jobQueryOptions(id: number) {
  return queryOptions({
    queryKey: queryKeys.jobs.one(id),
    queryFn: () => request<{ job: PublicJob }>(`/api/jobs/${id}`),
    refetchInterval: (q) => {
      const s = q.state.data?.job.status;
      return s && !isActive(s) ? false : 500;
    },
  });
}

export function enqueueJobRequest(input: { name: string; payload: unknown }) {
  return request<{ job: PublicJob }>("/api/jobs", { method: "POST", body: JSON.stringify(input) });
}

export function cancelJobRequest(id: number) {
  return request<{ job: PublicJob }>(`/api/jobs/${id}/cancel`, { method: "POST" });
}

export function retryJobRequest(id: number) {
  return request<{ job: PublicJob }>(`/api/jobs/${id}/retry`, { method: "POST" });
}
