import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import type { GroupAnnotationsResponse } from "@/lib/calibration/annotations";
import { requestJson } from "@/lib/http/client";

/** Annotations of a group (or of one rollout) under the URL's config; the previous answer stays while a new config loads. */
export function annotationsQueryOptions(kind: "groups" | "rollouts", id: string, query: string) {
  return queryOptions({
    queryKey: ["annotations", kind, id, query] as const,
    queryFn: ({ signal }) => requestJson<GroupAnnotationsResponse>(`/api/${kind}/${encodeURIComponent(id)}/annotations${query ? `?${query}` : ""}`, { signal }),
    placeholderData: keepPreviousData,
    staleTime: 5_000,
    // A running group gains scored rollouts: refresh while some sibling is not scored yet.
    refetchInterval: (q) => (q.state.data?.rollouts.some((r) => !r.scored) ? 3_000 : false),
  });
}
