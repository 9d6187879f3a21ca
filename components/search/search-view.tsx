"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useMemo } from "react";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { SearchFilters } from "./search-filters";
import { searchQueryString, type SearchParams } from "@/lib/api-client/search-params";
import { searchQueryOptions } from "@/lib/api-client/search";
import type { SearchRow as Row } from "@/lib/search/search";
import { SEARCH_ROW_HEIGHT, SearchRowPlaceholder } from "./search-row";
import { SearchResultList } from "./search-result-list";

const NO_ROWS: readonly Row[] = [];

/**
 * Search page body: the form (URL state), the total, and the result list. The list
 * (./search-result-list) holds the virtualizer, so scrolling re-renders the list alone; this body
 * re-renders only when the query's state changes (a page arrives, a new search).
 */
export function SearchView({ experimentId, params }: { experimentId: number; params: SearchParams }) {
  const router = useRouter();
  const query = useInfiniteQuery(searchQueryOptions(experimentId, params));
  const pages = query.data?.pages;
  // Flattened once per arrived page, not per render: the list's props stay identical between pages.
  const rows = useMemo(() => pages?.flatMap((p) => p.rows) ?? NO_ROWS, [pages]);
  const first = pages?.[0];
  const total = first?.total ?? 0;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  // A capped total (10,000+) is not the list's length: past it the list grows as pages load,
  // one placeholder row ahead while more exist, so every match stays reachable by scrolling.
  const listLength = first?.total_capped ? Math.max(total, rows.length + (hasNextPage ? 1 : 0)) : total;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);

  const submit = useCallback(
    (next: SearchParams) => {
      const qs = searchQueryString(next);
      router.replace(`/experiments/${experimentId}/search${qs ? `?${qs}` : ""}`, { scroll: false });
    },
    [router, experimentId],
  );

  return (
    <div className="space-y-4">
      <Card className="p-4">
        <SearchFilters key={searchQueryString(params)} params={params} onSubmit={submit} />
      </Card>
      <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm text-zinc-600 dark:text-zinc-400">
        <p aria-live="polite">
          {query.isPending ? (
            "Searching…"
          ) : query.isError ? null : (
            <>
              <span className="font-semibold text-zinc-900 tabular-nums dark:text-zinc-100" data-testid="search-total">
                {total.toLocaleString("en-US")}{first?.total_capped ? "+" : ""}
              </span>{" "}
              rollout{total === 1 ? "" : "s"} · {first ? `${first.took_ms} ms on the server` : ""}
            </>
          )}
        </p>
        {first ? (
          <p className="text-xs">
            Tiers, strips and misalignment under <span className="font-medium">{first.config.label}</span> ({first.config.estimator}) ·{" "}
            <Link href={`/experiments/${experimentId}/calibrate`} className="text-indigo-700 hover:underline dark:text-indigo-300">
              workbench
            </Link>
          </p>
        ) : null}
      </div>
      <Card className="overflow-hidden">
        {query.isPending ? (
          <div data-testid="search-loading">
            {Array.from({ length: 4 }, (_, i) => (
              <div key={i} style={{ height: SEARCH_ROW_HEIGHT }}>
                <SearchRowPlaceholder />
              </div>
            ))}
          </div>
        ) : query.isError ? (
          <div role="alert" className="p-6 text-sm text-red-700 dark:text-red-400" data-testid="search-error">
            Search failed: {query.error.message}
          </div>
        ) : total === 0 ? (
          <EmptyState title="No rollout matches">
            {params.q ? "No message or tool call of this experiment contains all these words under these filters." : "No rollout matches these filters."} Remove a filter or
            try fewer words; a trailing * matches word beginnings (refund*).
          </EmptyState>
        ) : (
          <SearchResultList rows={rows} total={listLength} hasNextPage={hasNextPage} isFetchingNextPage={isFetchingNextPage} fetchNextPage={loadMore} />
        )}
      </Card>
      {query.isFetchNextPageError ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          Loading more results failed: {query.error?.message}{" "}
          <button type="button" className="underline" onClick={loadMore}>
            Retry
          </button>
        </p>
      ) : null}
    </div>
  );
}
