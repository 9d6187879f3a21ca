/**
 * The one query-key scheme of the browser data layer. Every key is built here:
 * `[domain, owner id?, resource, ...request parameters]`, e.g. ["experiments", 7, "overview"].
 * The queryOptions factories (./<domain>.ts) and every invalidation (`qc.invalidateQueries(
 * { queryKey: queryKeys.jobs.all() })`) use these builders, so a key and its invalidation cannot
 * drift apart.
 *
 * react-query invalidates by prefix, and some invalidations rely on it:
 *  - jobs.all() covers the jobs list and every single job (the synthesis progress polls one);
 *  - taskSets.all() covers the tasks page's list and the experiment form's task-set options.
 * Two queries with different fetch or polling rules never share a key (calibration reads the
 * experiment header with its own polling, so it keys it under "calibration").
 */
import type { SliceFilters } from "../calibration/url-state";
import type { DrillArgs, GroupFilters, JobsFilter } from "./params";

export const queryKeys = {
  experiments: {
    list: () => ["experiments", "list"] as const,
    detail: (id: number) => ["experiments", id, "detail"] as const,
    overview: (id: number) => ["experiments", id, "overview"] as const,
    groups: (id: number, filters: GroupFilters, cursor: string | null) => ["experiments", id, "groups", filters, cursor] as const,
    annotationChanges: (id: number, query: string) => ["experiments", id, "annotation-changes", query] as const,
  },
  endpoints: {
    list: () => ["endpoints", "list"] as const,
  },
  groups: {
    detail: (groupId: string) => ["groups", groupId, "detail"] as const,
    pages: (groupId: string, initialSibling: number) => ["groups", groupId, "pages", initialSibling] as const,
  },
  rollouts: {
    detail: (rolloutId: string) => ["rollouts", rolloutId, "detail"] as const,
  },
  /** Turn annotations of a group or of one rollout, under the config named by `query`. */
  annotations: (kind: "groups" | "rollouts", id: string, query: string) => [kind, id, "annotations", query] as const,
  calibration: {
    experiments: () => ["calibration", "experiments"] as const,
    experiment: (id: number) => ["calibration", id, "experiment"] as const,
    overview: (id: number) => ["calibration", id, "overview"] as const,
    analysis: (id: number, configJson: string, slice: SliceFilters) => ["calibration", id, "analysis", configJson, slice] as const,
    flips: (id: number, classJson: string, slice: SliceFilters) => ["calibration", id, "flips", classJson, slice] as const,
    turns: (id: number, args: DrillArgs, pooledLastRow: boolean) => ["calibration", id, "turns", args, pooledLastRow] as const,
    iterations: (id: number) => ["calibration", id, "iterations"] as const,
    evaluate: (iterationId: number, experimentId: number) => ["calibration", experimentId, "evaluate", iterationId] as const,
    /** Iteration versions are global (not per experiment). */
    diff: (a: number, b: number) => ["calibration", "diff", a, b] as const,
  },
  jobs: {
    all: () => ["jobs"] as const,
    list: (filter: JobsFilter) => ["jobs", "list", filter] as const,
    one: (id: number) => ["jobs", id] as const,
    /** The worker pool (GET /api/workers), under the jobs prefix: invalidating jobs refreshes it too. */
    workers: () => ["jobs", "workers"] as const,
  },
  taskSets: {
    all: () => ["task-sets"] as const,
    list: () => ["task-sets", "list"] as const,
    /** The compact rows the new-experiment form picks from. */
    options: () => ["task-sets", "options"] as const,
  },
  exports: {
    list: (experimentId: number) => ["exports", experimentId, "list"] as const,
  },
  search: (experimentId: number, query: string) => ["search", experimentId, query] as const,
  timeline: (experimentId: number, estimator: string | null | undefined, bucket: number | null | undefined) =>
    ["timeline", experimentId, estimator, bucket] as const,
  compare: (apiQuery: string) => ["compare", apiQuery] as const,
};
