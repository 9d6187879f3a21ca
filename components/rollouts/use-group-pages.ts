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
import type { GroupDetailResponse } from "@/lib/experiments/api-types";
import type { GroupPageResponse, GroupSiblingMessagesResponse } from "@/lib/experiments/group-pages";
import { requestJson } from "@/lib/http/client";

/** Columns sent with the first answer (more than a wide screen shows; a usual group of 8 is whole) and per further page. */
export const FIRST_SIBLINGS = 8;
export const MORE_SIBLINGS = 8;

type Page = GroupPageResponse | GroupSiblingMessagesResponse;
const isFirst = (p: Page): p is GroupPageResponse => "group" in p;
const endOf = (p: Page) => (isFirst(p) ? p.siblings_page.to : p.to);
const totalOf = (p: Page) => (isFirst(p) ? p.siblings_page.total : p.total);

export function useGroupPages(groupId: string, initialSibling = 0) {
  const query = useInfiniteQuery({
    queryKey: ["group-pages", groupId, initialSibling] as const,
    initialPageParam: null as { from: number; to: number } | null,
    queryFn: ({ pageParam, signal }): Promise<Page> => {
      const id = encodeURIComponent(groupId);
      return pageParam === null
        ? requestJson<GroupPageResponse>(`/api/groups/${id}?siblings=${FIRST_SIBLINGS}${initialSibling >= FIRST_SIBLINGS ? `&include=${initialSibling}` : ""}`, { signal })
        : requestJson<GroupSiblingMessagesResponse>(`/api/groups/${id}/messages?from=${pageParam.from}&to=${pageParam.to}`, { signal });
    },
    getNextPageParam: (last) => (endOf(last) < totalOf(last) ? { from: endOf(last), to: endOf(last) + MORE_SIBLINGS } : undefined),
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
    loadedSiblings: last ? endOf(last) : 0,
    hasMore: Boolean(hasNextPage),
    loadingMore: isFetchingNextPage,
    loadMore,
  };
}
