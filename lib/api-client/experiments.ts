/**
 * Browser access to the experiments API (experiments, their group lists, model endpoints): one
 * queryOptions factory per resource (keys from ./keys), request helpers for mutations, and the
 * polling rule: a running experiment refetches until it reaches a final status. Types are the
 * backend's (lib/experiments/api-types.ts); nothing here runs on the server.
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
  ListEndpointsResponse,
  ListExperimentsResponse,
  ListGroupsResponse,
  TestEndpointRequest,
  TestEndpointResponse,
} from "../experiments/api-types";
import { queryKeys } from "./keys";
import type { GroupFilters } from "./params";
import { requestJson as request } from "./request";

/** Statuses after which an experiment never changes again: polling stops there. */
export const FINAL_STATUSES: readonly ExperimentStatus[] = ["completed", "failed", "cancelled"];
export const isFinalStatus = (s: ExperimentStatus) => FINAL_STATUSES.includes(s);
const POLL_MS = 1_000;

export type { GroupFilters };

export function experimentsQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.experiments.list(),
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
    queryKey: queryKeys.experiments.detail(id),
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
    queryKey: queryKeys.experiments.overview(id),
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
    queryKey: queryKeys.experiments.groups(id, filters, cursor),
    queryFn: () => request<ListGroupsResponse>(`/api/experiments/${id}/groups?${params}`),
    // Keep polling a page while any of its groups still has samples running.
    refetchInterval: (query) => (query.state.data?.groups.some((g) => g.outcome_class === "running") ? 2_000 : false),
  });
}

export function endpointsQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.endpoints.list(),
    queryFn: () => request<ListEndpointsResponse>("/api/endpoints"),
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

