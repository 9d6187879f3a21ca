/**
 * Client-side access to /api/jobs: one queryOptions factory for the resource, and
 * mutations that invalidate through the factory's key.
 */
import { queryOptions } from "@tanstack/react-query";
import type { JobCounts, PublicJob } from "@/db/queries/jobs";
import type { JobStatus } from "@/lib/jobs/status";
import { requestJson as request } from "@/lib/http/client";
export { ApiRequestError as ApiError } from "@/lib/http/client";

export interface JobsResponse {
  jobs: PublicJob[];
  nextCursor: number | null;
  counts: JobCounts;
  jobTypes: string[];
}



export interface JobsFilter {
  status?: JobStatus;
  limit: number;
}

export const jobKeys = {
  all: ["jobs"] as const,
  list: (filter: JobsFilter) => ["jobs", "list", filter] as const,
};

/** A job that can still change; while any exists the list keeps polling. */
export const isActive = (status: JobStatus) => status === "queued" || status === "running";

export function jobsQueryOptions(filter: JobsFilter) {
  const params = new URLSearchParams({ limit: String(filter.limit) });
  if (filter.status) params.set("status", filter.status);
  return queryOptions({
    queryKey: jobKeys.list(filter),
    queryFn: () => request<JobsResponse>(`/api/jobs?${params}`),
    // Poll while anything is queued or running; stop once every job is final.
    refetchInterval: (query) => {
      const counts = query.state.data?.counts;
      return counts && counts.queued + counts.running > 0 ? 1_000 : false;
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
