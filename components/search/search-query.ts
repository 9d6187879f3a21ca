import { infiniteQueryOptions } from "@tanstack/react-query";
import { requestJson } from "@/lib/http/client";
import type { SearchResponse } from "@/lib/search/search";
import { searchQueryString, type SearchParams } from "./search-params";

/** Rows per request: a page is ~300 KB of rows with their strips; the list asks for the next one as it scrolls. */
export const SEARCH_PAGE_SIZE = 200;

export function searchQueryOptions(experimentId: number, params: SearchParams) {
  const qs = searchQueryString(params);
  return infiniteQueryOptions({
    queryKey: ["search", experimentId, qs] as const,
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
