/** Browser access to GET /api/experiments/:id/search: pages of rows, the next one asked for as the list scrolls. */
import { infiniteQueryOptions } from "@tanstack/react-query";
import type { SearchResponse } from "../search/search";
import { queryKeys } from "./keys";
import { requestJson } from "./request";
import { searchQueryString, type SearchParams } from "./search-params";

/** Rows per request: a page is ~300 KB of rows with their strips; the list asks for the next one as it scrolls. */
export const SEARCH_PAGE_SIZE = 200;

export function searchQueryOptions(experimentId: number, params: SearchParams) {
  const qs = searchQueryString(params);
  return infiniteQueryOptions({
    queryKey: queryKeys.search(experimentId, qs),
    queryFn: ({ pageParam, signal }) =>
      requestJson<SearchResponse>(
        `/api/experiments/${experimentId}/search?${searchQueryString(params, { limit: String(SEARCH_PAGE_SIZE), ...(pageParam ? { cursor: pageParam } : {}) })}`,
        { signal },
      ),
    initialPageParam: "" as string,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    staleTime: 30_000,
  });
}
