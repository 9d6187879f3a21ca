"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { PassDots } from "@/components/rollouts/outcome-badges";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import type { GroupSummary, ListGroupsResponse } from "@/lib/experiments/api-types";
import { experimentOverviewQueryOptions, groupsQueryOptions, type GroupFilters } from "@/lib/api-client/experiments";
import { Field, Select, TextInput } from "./field";
import { humanize } from "./format";
import { groupFiltersQuery, isTerminationOption, OUTCOME_OPTIONS, TERMINATION_OPTIONS } from "./group-filters";

const outcomeTone: Record<GroupSummary["outcome_class"], BadgeTone> = { all_pass: "green", all_fail: "red", mixed: "amber", running: "blue" };

export function GroupBrowser({ experimentId, filters, cursor }: { experimentId: number; filters: GroupFilters; cursor: string | null }) {
  const router = useRouter();
  const query = useQuery({ ...groupsQueryOptions(experimentId, filters, cursor), placeholderData: keepPreviousData });
  // Filter choices (W, B, behaviours) come from the overview, which is cached from the experiment page.
  const overview = useQuery(experimentOverviewQueryOptions(experimentId, false));
  const ws = [...new Set((overview.data?.cells ?? []).map((c) => c.writes).filter((w): w is number => w !== null))].sort((a, b) => a - b);
  const bs = [...new Set((overview.data?.cells ?? []).map((c) => c.evidence).filter((b): b is number => b !== null))].sort((a, b) => a - b);
  const behaviors = (overview.data?.behaviors ?? []).map((b) => b.behavior).filter((b): b is string => !!b);

  const base = `/experiments/${experimentId}/groups`;
  const apply = (next: GroupFilters) => router.push(base + groupFiltersQuery(next), { scroll: false });
  const setFilter = <K extends keyof GroupFilters>(key: K, value: GroupFilters[K] | undefined) => {
    const next = { ...filters };
    if (value === undefined || value === "") delete next[key];
    else next[key] = value;
    apply(next);
  };
  const active = Object.keys(filters).length > 0;

  return (
    <div className="space-y-4">
      <Card className="p-4">
        <div className="grid gap-3 sm:grid-cols-3 lg:grid-cols-6" role="search" aria-label="Filter groups">
          <TaskFilter value={filters.task ?? ""} onApply={(v) => setFilter("task", v || undefined)} />
          <Field id="f-outcome" label="Outcome">
            <Select id="f-outcome" value={filters.outcome ?? ""} onChange={(e) => setFilter("outcome", (e.target.value || undefined) as GroupFilters["outcome"])}>
              <option value="">any</option>
              {OUTCOME_OPTIONS.map((o) => (
                <option key={o} value={o}>
                  {o === "pass" ? "≥ 1 pass" : o === "fail" ? "≥ 1 fail" : humanize(o)}
                </option>
              ))}
            </Select>
          </Field>
          <NumberSelect id="f-w" label="W (writes)" value={filters.w} options={ws} onChange={(v) => setFilter("w", v)} />
          <NumberSelect id="f-b" label="B (reads per write)" value={filters.b} options={bs} onChange={(v) => setFilter("b", v)} />
          <Field id="f-behavior" label="Behaviour">
            <Select id="f-behavior" value={filters.behavior ?? ""} onChange={(e) => setFilter("behavior", e.target.value || undefined)}>
              <option value="">any</option>
              {[...new Set([...behaviors, ...(filters.behavior ? [filters.behavior] : [])])].map((b) => (
                <option key={b} value={b}>
                  {humanize(b)}
                </option>
              ))}
            </Select>
          </Field>
          <Field id="f-termination" label="Termination">
            <Select id="f-termination" value={filters.termination ?? ""} onChange={(e) => setFilter("termination", isTerminationOption(e.target.value) ? e.target.value : undefined)}>
              <option value="">any</option>
              {TERMINATION_OPTIONS.map((t) => (
                <option key={t} value={t}>
                  {humanize(t)}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        {active ? (
          <div className="mt-3 flex items-center gap-2 text-xs text-zinc-500 dark:text-zinc-400">
            Filtered.
            <Link href={base} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
              Clear filters
            </Link>
          </div>
        ) : null}
      </Card>

      <Card>
        {query.isPending ? (
          <div className="space-y-px" aria-busy="true" aria-label="Loading groups">
            {Array.from({ length: 6 }, (_, i) => (
              <div key={i} className="mx-4 my-3 h-5 animate-pulse rounded bg-zinc-100 dark:bg-zinc-800" />
            ))}
          </div>
        ) : query.isError ? (
          <EmptyState title="Could not load groups">{query.error.message}</EmptyState>
        ) : query.data.groups.length === 0 ? (
          <EmptyState title={active ? "No groups match these filters" : "No groups yet"}>
            {active ? "Try removing a filter." : "Groups appear as soon as the run starts."}
          </EmptyState>
        ) : (
          <GroupsTable experimentId={experimentId} data={query.data} stale={query.isPlaceholderData} />
        )}
        <div className="flex items-center justify-between border-t border-zinc-200 px-4 py-3 text-sm dark:border-zinc-800">
          {cursor ? (
            <Link href={base + groupFiltersQuery(filters)} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
              ← First page
            </Link>
          ) : (
            <span />
          )}
          {query.data?.next_cursor ? (
            <Link href={base + groupFiltersQuery(filters, query.data.next_cursor)} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300" data-testid="next-page">
              Next page →
            </Link>
          ) : null}
        </div>
      </Card>
    </div>
  );
}

/** Free-text task id: applied on Enter or blur, not on every keystroke (each apply is a navigation). */
function TaskFilter({ value, onApply }: { value: string; onApply: (v: string) => void }) {
  const [draft, setDraft] = useState(value);
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    setDraft(value);
  }
  return (
    <Field id="f-task" label="Task id">
      <TextInput
        id="f-task"
        value={draft}
        placeholder="any"
        onChange={(e) => setDraft(e.target.value)}
        onBlur={() => draft.trim() !== value && onApply(draft.trim())}
        onKeyDown={(e) => {
          if (e.key === "Enter") onApply(draft.trim());
        }}
      />
    </Field>
  );
}

function NumberSelect({ id, label, value, options, onChange }: { id: string; label: string; value: number | undefined; options: number[]; onChange: (v: number | undefined) => void }) {
  const all = [...new Set([...options, ...(value !== undefined ? [value] : [])])].sort((a, b) => a - b);
  return (
    <Field id={id} label={label}>
      <Select id={id} value={value ?? ""} onChange={(e) => onChange(e.target.value === "" ? undefined : Number(e.target.value))}>
        <option value="">any</option>
        {all.map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </Select>
    </Field>
  );
}

const th = "px-4 py-2 text-left text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400";

function GroupsTable({ experimentId, data, stale }: { experimentId: number; data: ListGroupsResponse; stale: boolean }) {
  return (
    <div className={"overflow-x-auto transition-opacity " + (stale ? "opacity-60" : "")}>
      <table className="w-full min-w-[760px] text-sm">
        <thead className="border-b border-zinc-200 bg-zinc-50/80 dark:border-zinc-800 dark:bg-zinc-900/60">
          <tr>
            <th className={th}>Task</th>
            <th className={th + " w-16 text-right"}>W</th>
            <th className={th + " w-16 text-right"}>B</th>
            <th className={th}>Behaviour</th>
            <th className={th}>Samples</th>
            <th className={th + " w-28"}>Outcome</th>
            <th className={th + " w-24 text-right"}>Reward</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {data.groups.map((g) => {
            const outcomes = [...g.rollouts].sort((a, b) => a.sample_index - b.sample_index).map((r) => r.outcome);
            while (outcomes.length < g.size) outcomes.push(null);
            const href = `/experiments/${experimentId}/groups/${encodeURIComponent(g.id)}`;
            return (
              <tr key={g.id} className="group/row relative hover:bg-zinc-50 dark:hover:bg-zinc-800/40" data-testid="group-row" data-group-id={g.id}>
                <td className="px-4 py-2.5">
                  <Link href={href} className="font-mono text-xs font-medium text-indigo-700 after:absolute after:inset-0 hover:underline dark:text-indigo-300">
                    {g.task_id}
                  </Link>
                </td>
                <td className="px-4 py-2.5 text-right font-mono tabular-nums">{g.writes ?? "—"}</td>
                <td className="px-4 py-2.5 text-right font-mono tabular-nums" title={g.evidence_total !== null ? `${g.evidence_total} reads in total` : undefined}>
                  {g.evidence_cell ?? "—"}
                </td>
                <td className="px-4 py-2.5 text-zinc-700 dark:text-zinc-300">{g.behavior ? humanize(g.behavior) : "—"}</td>
                <td className="px-4 py-2.5">
                  <PassDots outcomes={outcomes} passed={g.passed} size={g.size} />
                </td>
                <td className="px-4 py-2.5">
                  <Badge tone={outcomeTone[g.outcome_class]}>{humanize(g.outcome_class)}</Badge>
                </td>
                <td className="px-4 py-2.5 text-right font-mono text-xs tabular-nums">{g.mean_reward === null ? "—" : g.mean_reward.toFixed(2)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
