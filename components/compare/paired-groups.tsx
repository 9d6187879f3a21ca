"use client";

/**
 * Run A's group next to run B's group for the same task, each the rollout browser's grid
 * (components/rollouts) annotated under the comparison's config. Both grids follow the same
 * keys (j/k turns, h/l siblings), so turn k of A's siblings stays level with turn k of B's.
 */
import Link from "next/link";
import { useCallback, useMemo } from "react";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { fmtShare } from "@/components/calibration/series";
import { NO_CONFIG_PARAMS, configSuffix, type BrowserConfigParams } from "@/components/rollouts/annotation-params";
import { RolloutColumnHeader } from "@/components/rollouts/rollout-column-header";
import { RolloutGrid } from "@/components/rollouts/rollout-grid";
import { RolloutStrip } from "@/components/rollouts/rollout-strip";
import { useAnnotations } from "@/components/rollouts/use-annotations";
import { useGroupPages } from "@/components/rollouts/use-group-pages";
import { LoadSiblingsOnView } from "@/components/rollouts/load-more-siblings";
import type { GridSelection } from "@/components/rollouts/use-grid-selection";
import type { CompareResponse } from "@/lib/compare/compare";

export function PairedGroups({
  data,
  task,
  onTask,
  configParams,
}: {
  data: CompareResponse;
  task: string | null;
  onTask: (task: string) => void;
  configParams: { iteration: number | null; c: string; estimator: string };
}) {
  // Default: the task whose pass rate moved most.
  const row = data.tasks.find((t) => t.task_id === task) ?? [...data.tasks].filter((t) => t.delta !== null).sort((x, y) => Math.abs(y.delta!) - Math.abs(x.delta!))[0] ?? data.tasks[0];
  const params: BrowserConfigParams = { ...NO_CONFIG_PARAMS, iteration: configParams.iteration, c: configParams.c, estimator: configParams.estimator };
  if (!row) return null;
  return (
    // Full-bleed: two groups of siblings need every pixel of width the window has.
    <Card className="mx-[calc(50%-50vw+1rem)] p-4" data-testid="compare-groups">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-sm font-semibold">
          Paired groups: task <span className="font-mono">{row.task_id}</span>
        </h2>
        <label className="flex items-center gap-2 text-xs">
          <span className="text-zinc-600 dark:text-zinc-400">task</span>
          <select
            data-testid="compare-group-task"
            className="h-8 max-w-64 rounded-md border border-zinc-300 bg-white px-2 font-mono dark:border-zinc-700 dark:bg-zinc-900"
            value={row.task_id}
            onChange={(e) => onTask(e.target.value)}
          >
            {data.tasks.map((t) => (
              <option key={t.task_id} value={t.task_id}>
                {t.task_id}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="mt-0.5 text-xs text-zinc-600 dark:text-zinc-400">
        The first group of the task on each side{row.a.groups > 1 || row.b.groups > 1 ? ` (A has ${row.a.groups}, B has ${row.b.groups} in range)` : ""}; j/k move between turns, h/l between siblings, in both.
      </p>
      <div className="mt-3 grid gap-3 xl:grid-cols-2">
        <GroupPane label="A" experimentId={data.a.experiment_id} groupId={row.a.group_id} passRate={row.a.pass_rate} params={params} />
        <GroupPane label="B" experimentId={data.b.experiment_id} groupId={row.b.group_id} passRate={row.b.pass_rate} params={params} />
      </div>
    </Card>
  );
}

function GroupPane({ label, experimentId, groupId, passRate, params }: { label: string; experimentId: number; groupId: string | null; passRate: number | null; params: BrowserConfigParams }) {
  return (
    <section className="min-w-0 rounded-md border border-zinc-200 dark:border-zinc-800" data-testid={`compare-group-${label.toLowerCase()}`} aria-label={`Side ${label} group`}>
      <header className="flex flex-wrap items-baseline justify-between gap-2 border-b border-zinc-200 px-3 py-2 text-sm dark:border-zinc-800">
        <span className="font-semibold">Side {label}</span>
        {groupId ? (
          <span className="text-xs text-zinc-600 dark:text-zinc-400">
            pass rate <span className="font-mono">{fmtShare(passRate, 0)}</span> ·{" "}
            <Link href={`/experiments/${experimentId}/groups/${encodeURIComponent(groupId)}${configSuffix(params) ? `?${configSuffix(params)}` : ""}`} className="font-mono text-indigo-700 hover:underline dark:text-indigo-300">
              {groupId}
            </Link>
          </span>
        ) : null}
      </header>
      {groupId ? <GroupGrid groupId={groupId} params={params} /> : <EmptyState title="No group of this task on this side" />}
    </section>
  );
}

const INITIAL: GridSelection = { turn: 1, sibling: 0 };

function GroupGrid({ groupId, params }: { groupId: string; params: BrowserConfigParams }) {
  const query = useGroupPages(groupId);
  const rollouts = useMemo(() => [...(query.data?.rollouts ?? [])].sort((a, b) => a.sample_index - b.sample_index), [query.data?.rollouts]);
  const ids = useMemo(() => rollouts.map((r) => r.id), [rollouts]);
  const ann = useAnnotations("groups", groupId, params, ids);
  // The selection is shared through the keys, not the URL: the compare page's URL is its own.
  const writeUrl = useCallback(() => {}, []);
  if (query.isError) return <EmptyState title="Could not load this group">{query.error?.message}</EmptyState>;
  if (query.isPending) return <div className="h-64 animate-pulse" aria-busy="true" aria-label="Loading group" />;
  if (rollouts.length === 0) return <EmptyState title="No rollouts in this group yet" />;
  return (
    <div className="max-h-[40rem] overflow-auto">
      <RolloutGrid
        rollouts={rollouts}
        initial={INITIAL}
        writeUrl={writeUrl}
        annotations={ann.columns.cells}
        renderHeader={(r, i) => (
          <RolloutColumnHeader
            rollout={r}
            index={i}
            query={configSuffix(params)}
            strip={
              <>
                <RolloutStrip annotation={ann.columns.rollouts[i]} />
                {i >= query.loadedSiblings && r.messages.length === 0 ? <LoadSiblingsOnView loading={query.loadingMore} onMore={query.loadMore} /> : null}
              </>
            }
          />
        )}
      />
    </div>
  );
}
