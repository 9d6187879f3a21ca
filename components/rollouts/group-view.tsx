"use client";

import Link from "next/link";
import { useCallback, useEffect, useMemo, useState } from "react";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { JsonBlock } from "./json-block";
import { PassDots } from "./outcome-badges";
import { RolloutColumnHeader } from "./rollout-column-header";
import { RolloutGrid } from "./rollout-grid";
import { KeyboardHint } from "./keyboard-hint";
import type { GridSelection } from "./use-grid-selection";
import { configSuffix, type BrowserConfigParams } from "./annotation-params";
import { AnnotationToolbar } from "./annotation-toolbar";
import { RolloutStrip } from "./rollout-strip";
import { useAnnotations } from "./use-annotations";
import { useGroupPages } from "./use-group-pages";
import { LoadSiblingsOnView } from "./load-more-siblings";

function writeGroupUrl(sel: GridSelection, url: URL) {
  url.searchParams.set("turn", String(sel.turn));
  url.searchParams.set("sibling", String(sel.sibling));
}

/** The N sibling rollouts of one group side by side, aligned by agent turn. */
export function GroupView({
  experimentId,
  groupId,
  initial,
  config,
}: {
  experimentId: number;
  groupId: string;
  initial: GridSelection;
  /** The reward config of the annotations (and the compared one), from the URL. */
  config: BrowserConfigParams;
}) {
  // Paged by sibling: every summary and the first columns' messages at once, the rest as the view reaches them.
  const query = useGroupPages(groupId, initial.sibling);
  const rollouts = useMemo(() => [...(query.data?.rollouts ?? [])].sort((a, b) => a.sample_index - b.sample_index), [query.data?.rollouts]);
  const rolloutIds = useMemo(() => rollouts.map((r) => r.id), [rollouts]);
  const ann = useAnnotations("groups", groupId, config, rolloutIds);
  const carry = configSuffix({ ...config, tier: null });
  // The column headers link to the rollout page at the selected turn; tracked here, cheaply, via the URL writer.
  const [turn, setTurn] = useState(initial.turn);
  const [sibling, setSibling] = useState(initial.sibling);
  const writeUrl = useCallback((sel: GridSelection, url: URL) => {
    writeGroupUrl(sel, url);
    setTurn(sel.turn);
    setSibling(sel.sibling);
  }, []);
  // The keys reached the last loaded columns: fetch the next siblings' messages.
  const { loadedSiblings, hasMore, loadMore } = query;
  useEffect(() => {
    if (hasMore && sibling >= loadedSiblings - 2) loadMore();
  }, [sibling, loadedSiblings, hasMore, loadMore]);

  if (query.isError) return <Card><EmptyState title="Could not load this group">{query.error?.message}</EmptyState></Card>;
  if (query.isPending || !query.data) return <Card className="h-96 animate-pulse" aria-busy="true" aria-label="Loading group" />;
  const { group, experiment, task } = query.data;
  const outcomes = rollouts.map((r) => r.outcome);
  while (outcomes.length < group.size) outcomes.push(null);
  const instructions = readInstructions(task);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">
          <div className="text-xs text-zinc-500 dark:text-zinc-400">
            <Link href="/experiments" className="hover:underline">Experiments</Link> /{" "}
            <Link href={`/experiments/${experiment.id}`} className="hover:underline">{experiment.name}</Link> /{" "}
            <Link href={`/experiments/${experimentId}/groups`} className="hover:underline">Groups</Link> ·{" "}
            <Link href={`/experiments/${experimentId}/search`} className="hover:underline" data-testid="search-link">Search rollouts</Link>
          </div>
          <h1 className="mt-0.5 text-xl font-semibold tracking-tight">
            Task <span className="font-mono">{group.task_id}</span>
          </h1>
          <div className="mt-1 flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-zinc-600 dark:text-zinc-400">
            <span>W = <span className="font-mono">{group.writes ?? "—"}</span></span>
            <span>B = <span className="font-mono">{group.evidence_cell ?? "—"}</span>{group.evidence_total !== null ? <span className="text-xs"> ({group.evidence_total} reads total)</span> : null}</span>
            <span>behaviour: {group.behavior ?? "—"}</span>
            <PassDots outcomes={outcomes} passed={group.passed} size={group.size} />
          </div>
        </div>
        <KeyboardHint jumps />
      </div>
      <AnnotationToolbar
        experimentId={experimentId}
        groupId={groupId}
        params={config}
        data={ann.query.data}
        loading={ann.query.isFetching}
        error={ann.query.error}
        onChange={ann.setParams}
      />
      {instructions ? (
        <details className="rounded-lg border border-zinc-200 bg-white px-4 py-2 text-sm dark:border-zinc-800 dark:bg-zinc-900">
          <summary className="cursor-pointer text-xs font-medium text-zinc-600 dark:text-zinc-400">User instructions and gold actions</summary>
          <div className="mt-2 grid gap-3 lg:grid-cols-2">
            <JsonBlock value={instructions.scenario} />
            <JsonBlock value={instructions.gold} />
          </div>
        </details>
      ) : null}
      {rollouts.length === 0 ? (
        <Card><EmptyState title="No rollouts in this group yet" /></Card>
      ) : (
        // Full-bleed: siblings need every pixel of width the window has, beyond the page column.
        <div className="mx-[calc(50%-50vw+1rem)]">
          <RolloutGrid
            rollouts={rollouts}
            initial={initial}
            writeUrl={writeUrl}
            annotations={ann.columns.cells}
            jumpTier={config.tier ?? "soft"}
            renderHeader={(r, i) => (
              <RolloutColumnHeader
                rollout={r}
                index={i}
                selectedTurn={turn}
                query={carry}
                strip={
                  <>
                    <RolloutStrip annotation={ann.columns.rollouts[i]} changedTurns={ann.columns.changed[i]} selectedTurn={turn - 1} />
                    {i >= loadedSiblings && r.messages.length === 0 ? <LoadSiblingsOnView loading={query.loadingMore} onMore={loadMore} /> : null}
                  </>
                }
              />
            )}
          />
        </div>
      )}
    </div>
  );
}

function readInstructions(task: Record<string, unknown> | null) {
  if (!task) return null;
  const scenario = (task.user_scenario as { instructions?: unknown } | undefined)?.instructions ?? task.user_scenario ?? null;
  const gold = (task.evaluation_criteria as { actions?: unknown } | undefined)?.actions ?? [];
  return scenario ? { scenario, gold } : null;
}
