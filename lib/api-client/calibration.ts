/**
 * Browser access to the calibration routes: one queryOptions factory per resource (keys from
 * ./keys, all under "calibration"), request helpers for the mutations, and the pure helpers that
 * build their queries. Shapes come from lib/calibration/api-types (the backend's contract); the
 * workbench's URL state is lib/calibration/url-state.
 *
 * The analysis query is keyed by the canonical config JSON + slice, so moving a slider back to a
 * value seen before is served from the cache instantly; `placeholderData` keeps the previous
 * result on screen while a new one loads (no flicker, no layout jump).
 */
import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import type { RewardConfig } from "../rewards";
import type { ExperimentDetailResponse, ExperimentOverviewResponse, ListExperimentsResponse } from "../experiments/api-types";
import type {
  AnalysisRequest,
  AnalysisResponse,
  AnalysisSection,
  CreateIterationRequest,
  CreateViewRequest,
  CreateViewResponse,
  DrillTurnsResponse,
  EvaluateIterationResponse,
  IterationDiffResponse,
  IterationResponse,
  ListIterationsResponse,
  SliceInput,
} from "../calibration/api-types";
import type { SliceFilters } from "../calibration/url-state";
import { formatStepRange } from "../analysis/timeline-steps";
import { queryKeys } from "./keys";
import type { DrillArgs } from "./params";
import { requestJson as request } from "./request";

/** Slice filters → the API's SliceInput (empty lists mean "no filter"); null when nothing filters. */
export function toSliceInput(slice: SliceFilters): SliceInput | null {
  const out: SliceInput = {};
  if (slice.w.length) out.w = [...slice.w];
  if (slice.b.length) out.b = [...slice.b];
  if (slice.behavior.length) out.behavior = [...slice.behavior];
  if (slice.steps) out.steps = [slice.steps[0], slice.steps[1]];
  return Object.keys(out).length ? out : null;
}

/** Append slice filters to URLSearchParams as repeated-free comma lists (the routes accept both). */
function appendSlice(params: URLSearchParams, slice: SliceFilters): void {
  if (slice.w.length) params.set("w", slice.w.join(","));
  if (slice.b.length) params.set("b", slice.b.join(","));
  if (slice.behavior.length) params.set("behavior", slice.behavior.join(","));
  if (slice.steps) params.set("steps", formatStepRange(slice.steps));
}

/**
 * Sections the workbench draws on every change. Flips (re-classifying rollouts twice per toggle)
 * depend only on the classification options, so they are a separate, rarely refetched query.
 */
export const WORKBENCH_SECTIONS: readonly AnalysisSection[] = ["estimators", "cells", "heatmap", "distribution"];

export function experimentQueryOptions(id: number) {
  return queryOptions({
    queryKey: queryKeys.calibration.experiment(id),
    queryFn: ({ signal }) => request<ExperimentDetailResponse>(`/api/experiments/${id}`, { signal }),
    // A running experiment keeps gaining rollouts: refresh its header now and then.
    refetchInterval: (q) => {
      const s = q.state.data?.experiment.status;
      return s === "running" || s === "queued" ? 3_000 : false;
    },
  });
}

/** W × B cells and behaviours of the experiment: the slice filter's options. */
export function experimentOverviewQueryOptions(id: number) {
  return queryOptions({
    queryKey: queryKeys.calibration.overview(id),
    queryFn: ({ signal }) => request<ExperimentOverviewResponse>(`/api/experiments/${id}/overview`, { signal }),
    staleTime: 60_000,
    retry: false,
  });
}

export function experimentsListQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.calibration.experiments(),
    queryFn: ({ signal }) => request<ListExperimentsResponse>(`/api/experiments?limit=100`, { signal }),
    staleTime: 30_000,
  });
}

/**
 * The full analysis of `config` (already validated; its JSON is the cache key). The previous
 * result stays as placeholder while the next loads. A finished experiment's numbers never change,
 * so results stay fresh for a minute.
 */
export function analysisQueryOptions(experimentId: number, config: RewardConfig, slice: SliceFilters) {
  const configJson = JSON.stringify(config);
  return queryOptions({
    queryKey: queryKeys.calibration.analysis(experimentId, configJson, slice),
    queryFn: ({ signal }) => {
      const body: AnalysisRequest = { config, include: [...WORKBENCH_SECTIONS] };
      const s = toSliceInput(slice);
      if (s) body.slice = s;
      return request<AnalysisResponse>(`/api/experiments/${experimentId}/analysis`, { method: "POST", body: JSON.stringify(body), signal });
    },
    placeholderData: keepPreviousData,
    staleTime: 60_000,
    gcTime: 5 * 60_000,
    retry: false,
  });
}

/** The config fields that change per-call classification (and so the flip counts). */
export function classificationPart(config: RewardConfig) {
  const { deep_equal, gold_matching, read_tools, write_tools, generic_tools, precedence } = config;
  return { deep_equal, gold_matching, read_tools, write_tools, generic_tools, precedence };
}

/** How many classifications flip per deep-equal toggle; refetched only when classification options change. */
export function flipsQueryOptions(experimentId: number, config: RewardConfig, slice: SliceFilters) {
  const classJson = JSON.stringify(classificationPart(config));
  return queryOptions({
    queryKey: queryKeys.calibration.flips(experimentId, classJson, slice),
    queryFn: ({ signal }) => {
      const body: AnalysisRequest = { config, include: ["flips"] };
      const s = toSliceInput(slice);
      if (s) body.slice = s;
      return request<AnalysisResponse>(`/api/experiments/${experimentId}/analysis`, { method: "POST", body: JSON.stringify(body), signal });
    },
    select: (r) => ({ flips: r.flips ?? [], sample: r.flips_sample ?? null }),
    placeholderData: keepPreviousData,
    staleTime: 5 * 60_000,
    retry: false,
  });
}

export type { DrillArgs };

/** The query string of GET …/analysis/turns for a selection (pure, tested). */
export function drillTurnsQuery(args: DrillArgs, pooledLastRow = false): string {
  const p = new URLSearchParams();
  p.set("config", args.configHash);
  const sel = args.selection;
  if (sel.kind === "tier") p.set("tier", sel.tier);
  else if (sel.kind === "position") {
    p.set("tier", sel.tier);
    p.set("position", String(sel.position));
    if (pooledLastRow) p.set("position_pooled", "1");
  } else p.set("cell", `${sel.w}:${sel.b}`);
  appendSlice(p, args.slice);
  p.set("limit", String(args.limit));
  if (args.offset) p.set("offset", String(args.offset));
  return p.toString();
}

export function drillTurnsQueryOptions(experimentId: number, args: DrillArgs, pooledLastRow = false) {
  return queryOptions({
    queryKey: queryKeys.calibration.turns(experimentId, args, pooledLastRow),
    queryFn: ({ signal }) =>
      request<DrillTurnsResponse>(`/api/experiments/${experimentId}/analysis/turns?${drillTurnsQuery(args, pooledLastRow)}`, { signal }),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

export function iterationsQueryOptions(experimentId: number) {
  return queryOptions({
    queryKey: queryKeys.calibration.iterations(experimentId),
    queryFn: ({ signal }) => request<ListIterationsResponse>(`/api/reward-configs?experiment_id=${experimentId}`, { signal }),
    staleTime: 10_000,
  });
}

export function iterationDiffQueryOptions(a: number, b: number) {
  return queryOptions({
    queryKey: queryKeys.calibration.diff(a, b),
    queryFn: ({ signal }) => request<IterationDiffResponse>(`/api/reward-configs/diff?a=${a}&b=${b}`, { signal }),
    staleTime: Infinity, // versions are immutable
  });
}

export function evaluateIterationQueryOptions(iterationId: number, experimentId: number) {
  return queryOptions({
    queryKey: queryKeys.calibration.evaluate(iterationId, experimentId),
    queryFn: ({ signal }) =>
      request<EvaluateIterationResponse>(`/api/reward-configs/${iterationId}/evaluate`, {
        method: "POST",
        body: JSON.stringify({ experiment_id: experimentId }),
        signal,
      }),
    staleTime: 60_000,
    retry: false,
  });
}

export function createIterationRequest(input: CreateIterationRequest) {
  return request<IterationResponse>("/api/reward-configs", { method: "POST", body: JSON.stringify(input) });
}

/** A server short link for a path + query string (the query's keys become the view state). */
export function createViewRequest(path: string, query: string) {
  const state: Record<string, string> = {};
  new URLSearchParams(query).forEach((v, k) => {
    state[k] = v;
  });
  const body: CreateViewRequest = { path, state };
  return request<CreateViewResponse>("/api/views", { method: "POST", body: JSON.stringify(body) });
}

export type ExportKind = "sft" | "rl" | "tau2" | "jsonl" | "tasks";

/** The export route; `iteration` matters for RL (advantages under that reward config). */
export function exportHref(experimentId: number, format: ExportKind, iteration?: number | null): string {
  const p = new URLSearchParams({ format });
  if (iteration != null) p.set("iteration", String(iteration));
  return `/api/experiments/${experimentId}/export?${p}`;
}
