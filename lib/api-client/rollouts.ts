/**
 * Browser access to one group or rollout of an experiment: their details, the sibling-paged group
 * view (GET /api/groups/:id?siblings=K, then /api/groups/:id/messages?from=&to=), and the turn
 * annotations under a reward config (a group's, a rollout's, and where two configs disagree).
 * Keys from ./keys.
 */
import { infiniteQueryOptions, keepPreviousData, queryOptions } from "@tanstack/react-query";
import type { ChangedGroupsResponse, GroupAnnotationsResponse } from "../calibration/annotations";
import type { GroupDetailResponse, RolloutDetailResponse } from "../experiments/api-types";
import type { GroupPageResponse, GroupSiblingMessagesResponse } from "../experiments/group-pages";
import { queryKeys } from "./keys";
import { requestJson as request } from "./request";

export function groupQueryOptions(groupId: string) {
  return queryOptions({
    queryKey: queryKeys.groups.detail(groupId),
    queryFn: () => request<GroupDetailResponse>(`/api/groups/${encodeURIComponent(groupId)}`),
    refetchInterval: (query) => (query.state.data && query.state.data.group.outcome_class === "running" ? 2_000 : false),
    staleTime: 30_000,
  });
}

export function rolloutQueryOptions(rolloutId: string) {
  return queryOptions({
    queryKey: queryKeys.rollouts.detail(rolloutId),
    queryFn: () => request<RolloutDetailResponse>(`/api/rollouts/${encodeURIComponent(rolloutId)}`),
    refetchInterval: (query) => (query.state.data?.rollout.status === "running" ? 2_000 : false),
    staleTime: 30_000,
  });
}

/** Columns sent with the first answer (more than a wide screen shows; a usual group of 8 is whole) and per further page. */
export const FIRST_SIBLINGS = 8;
export const MORE_SIBLINGS = 8;

export type GroupPage = GroupPageResponse | GroupSiblingMessagesResponse;
export const isFirstGroupPage = (p: GroupPage): p is GroupPageResponse => "group" in p;
/** Siblings [0, end) have their messages once this page is loaded. */
export const groupPageEnd = (p: GroupPage) => (isFirstGroupPage(p) ? p.siblings_page.to : p.to);
const groupPageTotal = (p: GroupPage) => (isFirstGroupPage(p) ? p.siblings_page.total : p.total);

/**
 * The group view's pages: every sibling's summary at once with the messages of the first columns
 * (and of the sibling a link selects), then the next columns' messages page by page. Polled while
 * the group still has samples running.
 */
export function groupPagesQueryOptions(groupId: string, initialSibling: number) {
  return infiniteQueryOptions({
    queryKey: queryKeys.groups.pages(groupId, initialSibling),
    initialPageParam: null as { from: number; to: number } | null,
    queryFn: ({ pageParam, signal }): Promise<GroupPage> => {
      const id = encodeURIComponent(groupId);
      return pageParam === null
        ? request<GroupPageResponse>(`/api/groups/${id}?siblings=${FIRST_SIBLINGS}${initialSibling >= FIRST_SIBLINGS ? `&include=${initialSibling}` : ""}`, { signal })
        : request<GroupSiblingMessagesResponse>(`/api/groups/${id}/messages?from=${pageParam.from}&to=${pageParam.to}`, { signal });
    },
    getNextPageParam: (last) =>
      groupPageEnd(last) < groupPageTotal(last) ? { from: groupPageEnd(last), to: groupPageEnd(last) + MORE_SIBLINGS } : undefined,
    refetchInterval: (q) => {
      const head = q.state.data?.pages[0];
      return head && isFirstGroupPage(head) && head.group.outcome_class === "running" ? 2_000 : false;
    },
    staleTime: 30_000,
  });
}

/** Annotations of a group (or of one rollout) under the URL's config; the previous answer stays while a new config loads. */
export function annotationsQueryOptions(kind: "groups" | "rollouts", id: string, query: string) {
  return queryOptions({
    queryKey: queryKeys.annotations(kind, id, query),
    queryFn: ({ signal }) => request<GroupAnnotationsResponse>(`/api/${kind}/${encodeURIComponent(id)}/annotations${query ? `?${query}` : ""}`, { signal }),
    placeholderData: keepPreviousData,
    staleTime: 5_000,
    // A running group gains scored rollouts: refresh while some sibling is not scored yet.
    refetchInterval: (q) => (q.state.data?.rollouts.some((r) => !r.scored) ? 3_000 : false),
  });
}

/** Groups whose turns change between two configs (`query`: the annotation query naming both). */
export function changedGroupsQueryOptions(experimentId: number, query: string) {
  return queryOptions({
    queryKey: queryKeys.experiments.annotationChanges(experimentId, query),
    queryFn: ({ signal }) => request<ChangedGroupsResponse>(`/api/experiments/${experimentId}/annotation-changes?${query}`, { signal }),
    staleTime: 10_000,
  });
}
