/**
 * Client access to /api/task-sets and the synthesis job: one queryOptions factory per
 * resource; polling stops once nothing is queued or running.
 */
import { queryOptions } from "@tanstack/react-query";
import type { PublicJob } from "@/db/queries/jobs";
import type { TaskSetSummary } from "@/lib/synthesis/job-store";
import { requestJson as request } from "@/lib/http/client";
export { ApiRequestError as ApiError } from "@/lib/http/client";



export const taskSetKeys = {
  all: ["task-sets"] as const,
  list: () => ["task-sets", "list"] as const,
};
export const jobKey = (id: number) => ["jobs", "one", id] as const;

const isActive = (s: string) => s === "queued" || s === "running";

export function taskSetsQueryOptions() {
  return queryOptions({
    queryKey: taskSetKeys.list(),
    queryFn: () => request<{ task_sets: TaskSetSummary[] }>("/api/task-sets"),
    refetchInterval: (q) => (q.state.data?.task_sets.some((s) => isActive(s.status)) ? 1_000 : false),
  });
}

export function jobQueryOptions(id: number) {
  return queryOptions({
    queryKey: jobKey(id),
    queryFn: () => request<{ job: PublicJob }>(`/api/jobs/${id}`),
    refetchInterval: (q) => {
      const s = q.state.data?.job.status;
      return s && !isActive(s) ? false : 500;
    },
  });
}

export interface CreatedTaskSet {
  task_set: TaskSetSummary;
  job?: { id: number; status: string };
}

export function createTaskSetRequest(body: { name: string; environment_id: number | null; config?: unknown; import?: unknown }) {
  return request<CreatedTaskSet>("/api/task-sets", { method: "POST", body: JSON.stringify(body) });
}

export function cancelJobRequest(id: number) {
  return request<{ job: PublicJob }>(`/api/jobs/${id}/cancel`, { method: "POST" });
}
