"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { SearchFilters } from "./search-filters";
import { searchQueryString, type SearchParams } from "@/lib/api-client/search-params";
import { searchQueryOptions } from "@/lib/api-client/search";
import { SEARCH_ROW_HEIGHT, SearchRow, SearchRowPlaceholder } from "./search-row";

/** Rows kept rendered beyond the viewport on each side. */
const OVERSCAN = 8;

/**
 * Search page body: the form (URL state), the total, and the result list. The list is
 * virtualised over the whole total (the scrollbar is the real length from the first page);
 * rows not loaded yet show placeholders while the next cursor page is fetched.
 */
export function SearchView({ experimentId, params }: { experimentId: number; params: SearchParams }) {
  const router = useRouter();
  const query = useInfiniteQuery(searchQueryOptions(experimentId, params));
  const rows = query.data?.pages.flatMap((p) => p.rows) ?? [];
  const first = query.data?.pages[0];
  const total = first?.total ?? 0;

  const scrollRef = useRef<HTMLDivElement>(null);
  // The compiler skips memoising this component (the virtualizer's functions change identity); nothing memoised reads them.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => SEARCH_ROW_HEIGHT,
    overscan: OVERSCAN,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length ? items[items.length - 1].index : -1;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  useEffect(() => {
    if (lastIndex >= rows.length - OVERSCAN && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [lastIndex, rows.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  const submit = (next: SearchParams) => {
    const qs = searchQueryString(next);
    router.replace(`/experiments/${experimentId}/search${qs ? `?${qs}` : ""}`, { scroll: false });
  };

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
                {total.toLocaleString("en-US")}
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
          <div ref={scrollRef} className="h-[calc(100vh-300px)] min-h-[420px] overflow-y-auto" data-testid="search-results" tabIndex={0} aria-label="Search results">
            <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
              {items.map((item) => {
                const row = rows[item.index];
                return (
                  <div key={item.key} style={{ position: "absolute", top: 0, left: 0, right: 0, height: item.size, transform: `translateY(${item.start}px)` }}>
                    {row ? <SearchRow row={row} /> : <SearchRowPlaceholder />}
                  </div>
                );
              })}
            </div>
          </div>
        )}
      </Card>
      {query.isFetchNextPageError ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          Loading more results failed: {query.error?.message}{" "}
          <button type="button" className="underline" onClick={() => void fetchNextPage()}>
            Retry
          </button>
        </p>
      ) : null}
    </div>
  );
}
