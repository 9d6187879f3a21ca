/**
 * The request parameters that are part of query keys (./keys.ts) as well as of the requests
 * (./experiments.ts, ./jobs.ts, ./calibration.ts): here, so the key builders and the factories
 * share them without importing each other.
 */
import type { Selection, SliceFilters } from "../calibration/url-state";
import type { ListGroupsQuery } from "../experiments/schemas";
import type { JobStatus } from "../jobs/status";

/** Group-list filters (the API's query minus paging); every one lives in the page URL. */
export type GroupFilters = Omit<ListGroupsQuery, "limit" | "cursor">;

export interface JobsFilter {
  status?: JobStatus;
  limit: number;
}

/** One page of the workbench's drill-down: the turns under a selection. */
export interface DrillArgs {
  configHash: string;
  selection: Selection;
  slice: SliceFilters;
  limit: number;
  offset: number;
}
