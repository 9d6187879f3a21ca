/**
 * Client-side access to the experiments API: one queryOptions factory per resource (keys
 * live in `experimentKeys`), request helpers for mutations, and the polling rule: a
 * running experiment refetches until it reaches a final status. Types are the backend's
 * (api-types.ts); nothing here runs on the server.
 */
import { queryOptions } from "@tanstack/react-query";
import type {
  CancelExperimentResponse,
  CreateEndpointRequest,
  CreateExperimentRequest,
  DeleteEndpointResponse,
  EndpointResponse,
  ExperimentDetailResponse,
  ExperimentOverviewResponse,
  ExperimentStatus,
  GroupDetailResponse,
  ListEndpointsResponse,
  ListExperimentsResponse,
  ListGroupsResponse,
  RolloutDetailResponse,
  TestEndpointRequest,
  TestEndpointResponse,
} from "./api-types";
import type { TaskSetSummary } from "../synthesis/job-store";
import { requestJson as request } from "../http/client";
export { ApiRequestError } from "../http/client";



/** Statuses after which an experiment never changes again: polling stops there. */
export const FINAL_STATUSES: readonly ExperimentStatus[] = ["completed", "failed", "cancelled"];
export const isFinalStatus = (s: ExperimentStatus) => FINAL_STATUSES.includes(s);
const POLL_MS = 1_000;

/** Group-list filters; every one lives in the page URL. */
export interface GroupFilters {
  task?: string;
  outcome?: "all_pass" | "all_fail" | "mixed" | "pass" | "fail";
  w?: number;
  b?: number;
  b_total?: number;
  behavior?: string;
  termination?: string;
}

export const experimentKeys = {
  all: ["experiments"] as const,
  list: () => ["experiments", "list"] as const,
  detail: (id: number) => ["experiments", "detail", id] as const,
  overview: (id: number) => ["experiments", "overview", id] as const,
  groups: (id: number, filters: GroupFilters, cursor: string | null) => ["experiments", "groups", id, filters, cursor] as const,
  group: (groupId: string) => ["groups", groupId] as const,
  rollout: (rolloutId: string) => ["rollouts", rolloutId] as const,
  endpoints: () => ["endpoints"] as const,
  taskSets: () => ["task-sets"] as const,
};

export function experimentsQueryOptions() {
  return queryOptions({
    queryKey: experimentKeys.list(),
    queryFn: () => request<ListExperimentsResponse>("/api/experiments?limit=100"),
    // Poll while anything is still running; stop once every listed experiment is final.
    refetchInterval: (query) => {
      const list = query.state.data?.experiments;
      return list && list.some((e) => !isFinalStatus(e.status)) ? POLL_MS : false;
    },
  });
}

export function experimentQueryOptions(id: number) {
  return queryOptions({
    queryKey: experimentKeys.detail(id),
    queryFn: () => request<ExperimentDetailResponse>(`/api/experiments/${id}`),
    refetchInterval: (query) => {
      const status = query.state.data?.experiment.status;
      return status && isFinalStatus(status) ? false : POLL_MS;
    },
  });
}

/**
 * The overview aggregates finished rollouts only. While the run is live, callers pass
 * `live` so it refreshes every few seconds; once final it is fetched once more and kept.
 */
export function experimentOverviewQueryOptions(id: number, live: boolean) {
  return queryOptions({
    queryKey: experimentKeys.overview(id),
    queryFn: () => request<ExperimentOverviewResponse>(`/api/experiments/${id}/overview`),
    refetchInterval: live ? 3_000 : false,
  });
}

export function groupFiltersToParams(filters: GroupFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v !== undefined && v !== "") params.set(k, String(v));
  return params;
}

export function groupsQueryOptions(id: number, filters: GroupFilters, cursor: string | null, limit = 50) {
  const params = groupFiltersToParams(filters);
  params.set("limit", String(limit));
  if (cursor) params.set("cursor", cursor);
  return queryOptions({
    queryKey: experimentKeys.groups(id, filters, cursor),
    queryFn: () => request<ListGroupsResponse>(`/api/experiments/${id}/groups?${params}`),
    // Keep polling a page while any of its groups still has samples running.
    refetchInterval: (query) => (query.state.data?.groups.some((g) => g.outcome_class === "running") ? 2_000 : false),
  });
}

export function groupQueryOptions(groupId: string) {
  return queryOptions({
    queryKey: experimentKeys.group(groupId),
    queryFn: () => request<GroupDetailResponse>(`/api/groups/${encodeURIComponent(groupId)}`),
    refetchInterval: (query) => (query.state.data && query.state.data.group.outcome_class === "running" ? 2_000 : false),
    staleTime: 30_000,
  });
}

export function rolloutQueryOptions(rolloutId: string) {
  return queryOptions({
    queryKey: experimentKeys.rollout(rolloutId),
    queryFn: () => request<RolloutDetailResponse>(`/api/rollouts/${encodeURIComponent(rolloutId)}`),
    refetchInterval: (query) => (query.state.data?.rollout.status === "running" ? 2_000 : false),
    staleTime: 30_000,
  });
}

export function endpointsQueryOptions() {
  return queryOptions({
    queryKey: experimentKeys.endpoints(),
    queryFn: () => request<ListEndpointsResponse>("/api/endpoints"),
  });
}

/** The compact task-set row the experiment form needs (GET /api/task-sets is owned by the tasks API). */
export type TaskSetOption = Pick<TaskSetSummary, "id" | "name" | "status" | "task_count" | "source">;

/** Accepts `{task_sets: [...]}` or a bare array, so the form does not break if the envelope changes. */
function readTaskSets(body: unknown): TaskSetOption[] {
  const list = Array.isArray(body)
    ? body
    : ((body as { task_sets?: unknown; taskSets?: unknown } | null)?.task_sets ?? (body as { taskSets?: unknown } | null)?.taskSets);
  return Array.isArray(list) ? (list as TaskSetOption[]) : [];
}

export function taskSetsQueryOptions() {
  return queryOptions({
    queryKey: experimentKeys.taskSets(),
    queryFn: async () => readTaskSets(await request<unknown>("/api/task-sets")),
  });
}

export function createExperimentRequest(body: CreateExperimentRequest) {
  return request<ExperimentDetailResponse>("/api/experiments", { method: "POST", body: JSON.stringify(body) });
}

export function cancelExperimentRequest(id: number) {
  return request<CancelExperimentResponse>(`/api/experiments/${id}/cancel`, { method: "POST" });
}

export function createEndpointRequest(body: CreateEndpointRequest) {
  return request<EndpointResponse>("/api/endpoints", { method: "POST", body: JSON.stringify(body) });
}

export function deleteEndpointRequest(id: number) {
  return request<DeleteEndpointResponse>(`/api/endpoints/${id}`, { method: "DELETE" });
}

export function testEndpointRequest(body: TestEndpointRequest) {
  return request<TestEndpointResponse>("/api/endpoints/test", { method: "POST", body: JSON.stringify(body) });
}

