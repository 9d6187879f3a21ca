"use client";

/**
 * The group view's data, paged by sibling (GET /api/groups/:id?siblings=K, then
 * /api/groups/:id/messages?from=&to=): every sibling's summary at once with the messages of the
 * first columns (and of the sibling a link selects); the next columns' messages when the view
 * reaches them (scrolled into view, or the keys moved onto the last loaded columns). `data` has the
 * shape of the whole-group answer, each sibling's messages as loaded so far (`[]` until then).
 */
import { useInfiniteQuery } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import { groupPageEnd, groupPagesQueryOptions, isFirstGroupPage } from "@/lib/api-client/rollouts";
import type { GroupDetailResponse } from "@/lib/experiments/api-types";
import type { GroupSiblingMessagesResponse } from "@/lib/experiments/group-pages";

export function useGroupPages(groupId: string, initialSibling = 0) {
  const query = useInfiniteQuery(groupPagesQueryOptions(groupId, initialSibling));

  const pages = query.data?.pages;
  const data = useMemo((): GroupDetailResponse | undefined => {
    const head = pages?.[0];
    if (!head || !isFirstGroupPage(head)) return undefined;
    if (pages.length === 1) return head;
    const more = new Map<string, GroupSiblingMessagesResponse["rollouts"][number]>();
    for (const p of pages.slice(1)) for (const r of (p as GroupSiblingMessagesResponse).rollouts) more.set(r.id, r);
    return {
      ...head,
      rollouts: head.rollouts.map((r) => {
        const m = more.get(r.id);
        return m ? { ...r, messages: m.messages, gold_actions: m.gold_actions, metadata: m.metadata } : r;
      }),
    };
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
    /** Siblings [0, loadedSiblings) in sample order have their messages. */
    loadedSiblings: last ? groupPageEnd(last) : 0,
    hasMore: Boolean(hasNextPage),
    loadingMore: isFetchingNextPage,
    loadMore,
  };
}
