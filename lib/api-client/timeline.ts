/** Browser access to GET /api/experiments/:id/timeline (a training run over its steps). */
import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import type { TimelineUrlState } from "../analysis/timeline-url";
import type { TimelineResponse } from "../calibration/timeline-service";
import { queryKeys } from "./keys";
import { requestJson } from "./request";

/** Refreshed every 2 s while the run is `live` (not final), like a running experiment's progress. */
export function timelineQueryOptions(experimentId: number, state: Pick<TimelineUrlState, "estimator" | "bucket">, live: boolean) {
  const params = new URLSearchParams();
  if (state.estimator) params.set("estimator", state.estimator);
  if (state.bucket) params.set("bucket", String(state.bucket));
  return queryOptions({
    queryKey: queryKeys.timeline(experimentId, state.estimator, state.bucket),
    queryFn: ({ signal }) => requestJson<TimelineResponse>(`/api/experiments/${experimentId}/timeline?${params}`, { signal }),
    refetchInterval: live ? 2_000 : false,
    placeholderData: keepPreviousData,
  });
}
