"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { memo, useEffect, useRef } from "react";
import type { SearchRow as Row } from "@/lib/search/search";
import { SEARCH_ROW_HEIGHT, SearchRow, SearchRowPlaceholder } from "./search-row";

/** Rows kept rendered beyond the viewport on each side. */
const OVERSCAN = 8;
const estimateRowSize = () => SEARCH_ROW_HEIGHT;

/**
 * The virtualised result list, on its own so that scrolling re-renders only this component:
 * TanStack Virtual re-renders its host synchronously (flushSync) on every scroll event that moves
 * the rendered range, and with the list inside the page body that meant the filters, the total
 * and the flattening of every loaded page once per frame (issue 17 §4: frames under 50 ms).
 * Here a scroll re-renders this list and the rows entering the range; rows already in it are
 * memoised on their (immutable) query row and position.
 *
 * The list spans the whole total (the scrollbar is the real length from the first page); rows
 * not loaded yet show placeholders, and nearing the loaded end asks for the next cursor page.
 */
export const SearchResultList = memo(function SearchResultList({
  rows,
  total,
  hasNextPage,
  isFetchingNextPage,
  fetchNextPage,
}: {
  /** Every loaded row, in order (memoised by the caller on the query's pages). */
  rows: readonly Row[];
  total: number;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  /** Stable: asks for the next cursor page. */
  fetchNextPage: () => void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // The virtualizer re-renders this component on every scroll that moves the range; what it renders below is memoised on data and position.
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: estimateRowSize,
    overscan: OVERSCAN,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length ? items[items.length - 1].index : -1;
  useEffect(() => {
    if (lastIndex >= rows.length - OVERSCAN && hasNextPage && !isFetchingNextPage) fetchNextPage();
  }, [lastIndex, rows.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  return (
    <div ref={scrollRef} className="h-[calc(100vh-300px)] min-h-[420px] overflow-y-auto" data-testid="search-results" tabIndex={0} aria-label="Search results">
      <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
        {items.map((item) => (
          <PositionedRow key={item.key} start={item.start} size={item.size} row={rows[item.index]} />
        ))}
      </div>
    </div>
  );
});

/** One slot of the list at its offset: the row once its page has arrived, a placeholder until then. */
const PositionedRow = memo(function PositionedRow({ start, size, row }: { start: number; size: number; row: Row | undefined }) {
  return (
    <div style={{ position: "absolute", top: 0, left: 0, right: 0, height: size, transform: `translateY(${start}px)` }}>
      {row ? <SearchRow row={row} /> : <SearchRowPlaceholder />}
    </div>
  );
});
