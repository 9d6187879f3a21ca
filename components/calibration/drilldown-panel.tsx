"use client";

/**
 * The turns behind a clicked bar or heatmap cell, misaligned first (the server orders them), each
 * linking to the rollout browser at that turn. A side panel over the charts; Esc or × closes it.
 */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { drillTurnsQueryOptions } from "@/lib/api-client/calibration";
import type { Selection, SliceFilters } from "@/lib/calibration/url-state";
import { browserHref } from "@/components/rollouts/annotation-params";
import { fmtSigned } from "./series";

const PAGE = 50;

function describe(sel: Selection): string {
  if (sel.kind === "tier") return `Tier “${sel.tier}”`;
  if (sel.kind === "position") return `Tier “${sel.tier}” at turn position ${sel.position}`;
  return `Cell W = ${sel.w}, B = ${sel.b}`;
}

export function DrilldownPanel({
  experimentId,
  configHash,
  selection,
  slice,
  pooledLastRow,
  onClose,
  browserConfig,
}: {
  experimentId: number;
  configHash: string;
  selection: Selection;
  slice: SliceFilters;
  pooledLastRow: boolean;
  onClose: () => void;
  /** The workbench's config as the rollout browser reads it (saved iteration + compact unsaved diff), carried by each turn link. */
  browserConfig?: { iteration: number | null; c: string };
}) {
  const tierOfSelection = selection.kind === "cell" ? null : selection.tier;
  const linkOf = (t: { group_id: string; k: number; sample_index: number; href: string }) =>
    browserConfig
      ? browserHref({ experimentId, groupId: t.group_id, k: t.k, sibling: t.sample_index, iteration: browserConfig.iteration, c: browserConfig.c, tier: tierOfSelection })
      : t.href;
  const [pages, setPages] = useState(1);
  const q = useQuery(drillTurnsQueryOptions(experimentId, { configHash, selection, slice, limit: Math.min(500, PAGE * pages), offset: 0 }, pooledLastRow));
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  const data = q.data;
  return (
    <aside
      data-testid="drilldown-panel"
      aria-label="Turns of the selection"
      className="fixed inset-y-0 right-0 z-40 flex w-full max-w-md flex-col border-l border-zinc-200 bg-white shadow-xl dark:border-zinc-800 dark:bg-zinc-900"
    >
      <header className="flex items-start justify-between gap-2 border-b border-zinc-200 p-4 dark:border-zinc-800">
        <div>
          <h2 className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">{describe(selection)}</h2>
          <p className="mt-0.5 text-xs text-zinc-600 dark:text-zinc-400">
            {data
              ? `${data.total.toLocaleString("en-US")} turns · ${data.misaligned_total.toLocaleString("en-US")} against the intended sign ${data.intended_sign === 1 ? "(+)" : data.intended_sign === -1 ? "(−)" : "(none: |ρ| ≤ δ)"}`
              : q.isError
                ? "could not load turns"
                : "loading…"}
          </p>
        </div>
        <Button size="sm" variant="ghost" aria-label="Close" onClick={onClose} data-testid="drilldown-close">
          ✕
        </Button>
      </header>
      <div className={"flex-1 overflow-y-auto p-2 " + (q.isPlaceholderData ? "opacity-60" : "")}>
        {q.isError ? <p className="p-2 text-xs text-red-600 dark:text-red-400">{(q.error as Error).message}</p> : null}
        <ul className="space-y-1" data-testid="drilldown-turns">
          {data?.turns.map((t) => (
            <li key={`${t.rollout_id}:${t.k}`}>
              <Link
                href={linkOf(t)}
                className="flex items-center gap-2 rounded-md px-2 py-1.5 text-xs text-zinc-800 hover:bg-zinc-100 dark:text-zinc-200 dark:hover:bg-zinc-800"
                data-testid="drilldown-turn"
              >
                {t.misaligned ? <Badge tone="red">misaligned</Badge> : <Badge tone="neutral">aligned</Badge>}
                <span className="min-w-0 flex-1">
                  <span className="block truncate font-medium" title={`task ${t.task_id}`}>
                    {t.task_id}
                  </span>
                  <span className="block text-zinc-500 dark:text-zinc-400">
                    sample {t.sample_index} · turn {t.k} · {t.tier} · r = {fmtSigned(t.reward, 2)}
                  </span>
                </span>
                <span className={"font-mono tabular-nums " + (t.outcome ? "text-emerald-700 dark:text-emerald-400" : "text-red-600 dark:text-red-400")}>
                  {t.outcome ? "pass" : "fail"}
                </span>
                <span className="w-24 text-right font-mono tabular-nums" title={`r = ${t.reward}, AI = ${t.ai}, A = ${t.adv}`}>
                  A {fmtSigned(t.adv, 3)}
                </span>
              </Link>
            </li>
          ))}
        </ul>
        {data && data.turns.length === 0 ? <p className="p-3 text-xs text-zinc-600 dark:text-zinc-400">No turns in this selection.</p> : null}
        {data?.next_offset != null && pages * PAGE < 500 ? (
          <div className="p-2 text-center">
            <Button size="sm" onClick={() => setPages((p) => p + 1)} disabled={q.isFetching}>
              Show more
            </Button>
          </div>
        ) : null}
      </div>
    </aside>
  );
}
