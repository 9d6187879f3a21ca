"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo } from "react";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { rolloutQueryOptions } from "@/lib/api-client/rollouts";
import { JsonBlock } from "./json-block";
import { KeyboardHint } from "./keyboard-hint";
import { DriverLabel, OutcomeBadge, TerminationBadge } from "./outcome-badges";
import { ImportCheckBadges } from "@/components/experiments/import-check";
import { PlainText } from "./plain-text";
import { RolloutGrid } from "./rollout-grid";
import type { GridSelection } from "./use-grid-selection";
import { configSuffix, type BrowserConfigParams } from "./annotation-params";
import { AnnotationToolbar } from "./annotation-toolbar";
import { RolloutStrip } from "./rollout-strip";
import { useAnnotations } from "./use-annotations";

function writeRolloutUrl(sel: GridSelection, url: URL) {
  url.searchParams.set("turn", String(sel.turn));
}

const pct = (v: number | null) => (v === null ? "—" : `${Math.round(v * 100)}%`);

/** One rollout: its turns in a single column (same cells as the group view), evaluation and metadata. */
export function RolloutView({
  experimentId,
  rolloutId,
  initialTurn,
  config,
}: {
  experimentId: number;
  rolloutId: string;
  initialTurn: number;
  /** The reward config of the annotations (and the compared one), from the URL. */
  config: BrowserConfigParams;
}) {
  const query = useQuery(rolloutQueryOptions(rolloutId));
  const rollouts = useMemo(() => (query.data ? [query.data.rollout] : []), [query.data]);
  const ids = useMemo(() => [rolloutId], [rolloutId]);
  const ann = useAnnotations("rollouts", rolloutId, config, ids);
  const carry = configSuffix({ ...config, tier: null });

  if (query.isPending) return <Card className="h-96 animate-pulse" aria-busy="true" aria-label="Loading rollout" />;
  if (query.isError) return <Card><EmptyState title="Could not load this rollout">{query.error.message}</EmptyState></Card>;
  const r = query.data.rollout;
  const ev = r.evaluation;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">
          <div className="text-xs text-zinc-500 dark:text-zinc-400">
            <Link href="/experiments" className="hover:underline">Experiments</Link> /{" "}
            <Link href={`/experiments/${experimentId}`} className="hover:underline">#{experimentId}</Link> /{" "}
            <Link href={`/experiments/${experimentId}/groups/${encodeURIComponent(r.group_id)}?sibling=${r.sample_index}${carry ? `&${carry}` : ""}`} className="hover:underline">
              group of task {r.task_id}
            </Link>
          </div>
          <h1 className="mt-0.5 text-xl font-semibold tracking-tight">
            Rollout <span className="font-mono text-base">{r.id}</span>
          </h1>
          <div className="mt-1.5 flex flex-wrap items-center gap-1.5 text-sm">
            <OutcomeBadge outcome={r.outcome} status={r.status} />
            {r.reward !== null ? <Badge>reward {r.reward.toFixed(2)}</Badge> : null}
            <TerminationBadge termination={r.termination} />
            <ImportCheckBadges metadata={r.metadata} />
            <span className="text-xs text-zinc-500 dark:text-zinc-400">
              sample {r.sample_index} · {r.turns} turns · {(r.prompt_tokens + r.completion_tokens).toLocaleString("en-US")} tokens · {r.errors} errors
            </span>
            <span className="text-xs"><DriverLabel label={r.preset ? `simulated agent (${r.preset})` : r.agent_label} /></span>
          </div>
        </div>
        <KeyboardHint siblings={false} jumps />
      </div>
      <AnnotationToolbar experimentId={experimentId} params={config} data={ann.query.data} loading={ann.query.isFetching} error={ann.query.error} onChange={ann.setParams} />

      {r.error ? (
        <Card className="border-red-200 p-3 dark:border-red-900">
          <div className="mb-1 text-xs font-semibold text-red-700 dark:text-red-400">Episode error</div>
          <PlainText text={r.error} className="font-mono text-xs" />
        </Card>
      ) : null}

      <div className="grid gap-4 xl:grid-cols-[minmax(0,1fr)_22rem]">
        <RolloutGrid
          key={initialTurn}
          rollouts={rollouts}
          initial={{ turn: initialTurn, sibling: 0 }}
          writeUrl={writeRolloutUrl}
          annotations={ann.columns.cells}
          jumpTier={config.tier ?? "soft"}
          renderHeader={() => (
            <div className="space-y-1.5">
              <span className="text-xs font-semibold text-zinc-600 dark:text-zinc-300">conversation</span>
              <RolloutStrip annotation={ann.columns.rollouts[0]} changedTurns={ann.columns.changed[0]} />
            </div>
          )}
        />
        <div className="space-y-4">
          <Card className="p-4 text-sm">
            <h2 className="mb-2 text-sm font-semibold">Evaluation</h2>
            {ev ? (
              <dl className="grid grid-cols-2 gap-y-1 text-xs">
                <dt className="text-zinc-500">reward</dt>
                <dd className="font-mono">{ev.reward.toFixed(2)}</dd>
                <dt className="text-zinc-500">database match</dt>
                <dd>{ev.db_match ? <Badge tone="green">yes</Badge> : <Badge tone="red">no</Badge>}</dd>
                <dt className="text-zinc-500">communicate match</dt>
                <dd>{ev.communicate_match ? <Badge tone="green">yes</Badge> : <Badge tone="red">no</Badge>}</dd>
                <dt className="text-zinc-500">read recall</dt>
                <dd className="font-mono">{pct(ev.read_recall)}</dd>
                <dt className="text-zinc-500">write recall</dt>
                <dd className="font-mono">{pct(ev.write_recall)}</dd>
                {ev.missing_communicate?.length ? (
                  <>
                    <dt className="text-zinc-500">not communicated</dt>
                    <dd className="font-mono break-words">{ev.missing_communicate.join(", ")}</dd>
                  </>
                ) : null}
                {ev.error ? (
                  <>
                    <dt className="text-zinc-500">error</dt>
                    <dd className="break-words text-red-600 dark:text-red-400">{ev.error}</dd>
                  </>
                ) : null}
              </dl>
            ) : (
              <p className="text-xs text-zinc-500">Not evaluated yet.</p>
            )}
          </Card>
          <Card className="p-4">
            <h2 className="mb-2 text-sm font-semibold">Policy violations ({r.policy_violations.length})</h2>
            {r.policy_violations.length === 0 ? (
              <p className="text-xs text-zinc-500">None.</p>
            ) : (
              <ul className="space-y-1.5 text-xs">
                {r.policy_violations.map((v, i) => (
                  <li key={i}>
                    <Link href={`?turn=${v.turn + 1}${carry ? `&${carry}` : ""}`} className="font-mono text-indigo-700 hover:underline dark:text-indigo-300">
                      turn {v.turn + 1}
                    </Link>{" "}
                    <Badge tone="red">{v.rule}</Badge> <span className="text-zinc-600 dark:text-zinc-400">{v.message}</span>
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card className="p-4">
            <h2 className="mb-2 text-sm font-semibold">Gold actions ({r.gold_actions.length})</h2>
            <JsonBlock value={r.gold_actions} />
          </Card>
          <details className="rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
            <summary className="cursor-pointer text-sm font-semibold">Metadata</summary>
            <div className="mt-2">
              <JsonBlock value={r.metadata} />
            </div>
          </details>
        </div>
      </div>
    </div>
  );
}
