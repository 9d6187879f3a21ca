"use client";

/**
 * Where two reward configs disagree across the experiment: the groups whose turns change tier,
 * reward or advantage sign, most changes first, each a link into the rollout browser with both
 * configs in the URL. Used by the iteration diff (workbench) and by the browser's compare summary.
 */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { changedGroupsQueryOptions } from "@/lib/api-client/rollouts";
import { annotationQuery, browserHref, type BrowserConfigParams } from "./annotation-params";

/** "N turns in M groups change — open the group with the most" (iteration diff). */
export function IterationDiffBrowserLink({ experimentId, a, b }: { experimentId: number; a: number; b: number }) {
  const params: BrowserConfigParams = { iteration: a, c: "", estimator: "", compare: b, cc: "", tier: null };
  const q = useQuery(changedGroupsQueryOptions(experimentId, annotationQuery(params)));
  if (q.isError) return <p className="text-xs text-red-600 dark:text-red-400">{(q.error as Error).message}</p>;
  if (!q.data) return <p className="text-xs text-zinc-500">Finding the turns that change…</p>;
  const top = q.data.groups[0];
  return (
    <p className="text-xs text-zinc-700 dark:text-zinc-300" data-testid="iteration-diff-browser">
      <b>{q.data.changed.toLocaleString("en-US")}</b> of {q.data.turns.toLocaleString("en-US")} turns change (tier {q.data.by_kind.tier}, reward {q.data.by_kind.reward}, advantage sign{" "}
      {q.data.by_kind.sign}) in {q.data.groups.length === 50 ? "50+" : q.data.groups.length} groups.{" "}
      {top ? (
        <Link
          href={browserHref({ experimentId, groupId: top.group_id, iteration: a, compare: b })}
          className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
          data-testid="iteration-diff-browser-link"
        >
          See them turn by turn in the rollout browser ({top.task_id}, {top.changed} changes) →
        </Link>
      ) : null}
    </p>
  );
}

/** The other groups with changes, for the browser's compare summary. */
export function OtherChangedGroups({ experimentId, groupId, params }: { experimentId: number; groupId: string; params: BrowserConfigParams }) {
  const q = useQuery(changedGroupsQueryOptions(experimentId, annotationQuery(params)));
  const others = (q.data?.groups ?? []).filter((g) => g.group_id !== groupId).slice(0, 8);
  if (!q.data) return null;
  return (
    <p className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1" data-testid="changed-groups">
      <span className="text-amber-800 dark:text-amber-300">
        experiment: {q.data.changed} of {q.data.turns} turns change · most in:
      </span>
      {others.length === 0 ? <span>no other group</span> : null}
      {others.map((g) => {
        const url = new URL(browserHref({ experimentId, groupId: g.group_id }), "http://x");
        const search = annotationQuery(params);
        return (
          <Link key={g.group_id} href={`${url.pathname}?${search}`} className="font-mono text-indigo-700 hover:underline dark:text-indigo-300">
            {g.task_id} ({g.changed})
          </Link>
        );
      })}
    </p>
  );
}
