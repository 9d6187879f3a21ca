"use client";

/**
 * The group view's data, paged by agent turns (GET /api/groups/:id?turns=N, then
 * /api/groups/:id/turns?from=&to=): every sibling's summary and its first turns at once, further
 * turns when the view asks (scrolled to the end, or the keys moved onto the last loaded rows).
 * `data` has the shape of the whole-group answer, with each sibling's messages as loaded so far;
 * pages are contiguous from turn 0, so message indexes (the annotations' keys) stay those of the
 * full conversation.
 */
import { useInfiniteQuery } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import type { GroupDetailResponse } from "@/lib/experiments/api-types";
import type { GroupPageResponse, GroupTurnsResponse } from "@/lib/experiments/group-pages";
import { requestJson } from "@/lib/http/client";

/** Agent turns in the first answer (about a screen of rows) and per further page. */
export const FIRST_TURNS = 6;
export const MORE_TURNS = 10;

type Page = GroupPageResponse | GroupTurnsResponse;
const isFirst = (p: Page): p is GroupPageResponse => "group" in p;

export function useGroupPages(groupId: string, initialTurn = 0) {
  // A link to turn 25 loads through turn 25 plus a few rows, in one request.
  const first = Math.max(FIRST_TURNS, initialTurn + 3);
  const query = useInfiniteQuery({
    queryKey: ["group-pages", groupId, first] as const,
    initialPageParam: null as { from: number; to: number } | null,
    queryFn: ({ pageParam, signal }): Promise<Page> => {
      const id = encodeURIComponent(groupId);
      return pageParam === null
        ? requestJson<GroupPageResponse>(`/api/groups/${id}?turns=${first}`, { signal })
        : requestJson<GroupTurnsResponse>(`/api/groups/${id}/turns?from=${pageParam.from}&to=${pageParam.to}`, { signal });
    },
    getNextPageParam: (last) => (last.turns_page.more ? { from: last.turns_page.to + 1, to: last.turns_page.to + MORE_TURNS } : undefined),
    refetchInterval: (q) => {
      const head = q.state.data?.pages[0];
      return head && isFirst(head) && head.group.outcome_class === "running" ? 2_000 : false;
    },
    staleTime: 30_000,
  });

  const pages = query.data?.pages;
  const data = useMemo((): GroupDetailResponse | undefined => {
    const head = pages?.[0];
    if (!head || !isFirst(head)) return undefined;
    if (pages.length === 1) return head;
    const more = new Map<string, GroupTurnsResponse["rollouts"][number]["messages"]>();
    for (const p of pages.slice(1)) for (const r of (p as GroupTurnsResponse).rollouts) more.set(r.id, [...(more.get(r.id) ?? []), ...r.messages]);
    return { ...head, rollouts: head.rollouts.map((r) => (more.get(r.id)?.length ? { ...r, messages: [...r.messages, ...more.get(r.id)!] } : r)) };
  }, [pages]);

  const last = pages?.[pages.length - 1];
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  return {
    data,
    isPending: query.isPending,
    isError: query.isError,
    error: query.error,
    /** Agent turns 0..loadedTurns are loaded for every sibling. */
    loadedTurns: last?.turns_page.to ?? 0,
    totalTurns: last?.turns_page.turns_total ?? 0,
    hasMore: Boolean(hasNextPage),
    loadingMore: isFetchingNextPage,
    loadMore,
  };
}
