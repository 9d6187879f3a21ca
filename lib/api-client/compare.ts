/** Browser access to GET /api/compare (two experiments, or two step ranges, under one config). */
import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import type { CompareResponse } from "../compare/compare";
import { queryKeys } from "./keys";
import { requestJson } from "./request";

/** `apiQuery`: the route's query string (the /compare page builds it from its URL state); off until both sides are picked. */
export function compareQueryOptions(apiQuery: string, enabled: boolean) {
  return queryOptions({
    queryKey: queryKeys.compare(apiQuery),
    queryFn: ({ signal }) => requestJson<CompareResponse>(`/api/compare?${apiQuery}`, { signal }),
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
}
