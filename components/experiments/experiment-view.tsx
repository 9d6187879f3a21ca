"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { CompareMenu } from "@/components/compare/compare-menu";
import { useEffect, useRef, type ReactNode } from "react";
import { DriverLabel } from "@/components/rollouts/outcome-badges";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import type { ExperimentDetailResponse } from "@/lib/experiments/api-types";
import {
  cancelExperimentRequest,
  experimentOverviewQueryOptions,
  experimentQueryOptions,
  isFinalStatus,
} from "@/lib/api-client/experiments";
import { queryKeys } from "@/lib/api-client/keys";
import { ExperimentOverview } from "./experiment-overview";
import { ExperimentStatusBadge } from "./experiment-status-badge";
import { ImportReportCard } from "./import-check";
import { formatTimestamp } from "./format";
import { LiveProgress } from "./live-progress";
import { ExportMenu, ExportsCard } from "./export-panel";

type Experiment = ExperimentDetailResponse["experiment"];

export function ExperimentView({ id }: { id: number }) {
  const query = useQuery(experimentQueryOptions(id));
  const status = query.data?.experiment.status;
  const live = !!status && !isFinalStatus(status);
  // Fetched once the run has produced something; refreshed every few seconds while live.
  const overview = useQuery({ ...experimentOverviewQueryOptions(id, live), enabled: !!query.data && query.data.experiment.rollouts_done > 0 });
  useRefreshWhenFinished(id, live);

  if (query.isPending) return <Card className="h-40 animate-pulse" aria-busy="true" aria-label="Loading experiment" />;
  if (query.isError) return <Card><EmptyState title="Could not load this experiment">{query.error.message}</EmptyState></Card>;
  const e = query.data.experiment;

  return (
    <div className="space-y-6">
      <Header experiment={e} />
      <Card className="p-5">
        <LiveProgress experiment={e} />
        {e.error && e.error !== e.status ? <p className="mt-3 text-sm break-words text-red-600 dark:text-red-400">{e.error}</p> : null}
      </Card>
      <ExportsCard experimentId={id} />
      <ImportReportCard metadata={e.metadata} rollouts={e.rollouts_done} />
      {e.rollouts_done === 0 ? (
        <Card className="p-8 text-center text-sm text-zinc-500 dark:text-zinc-400">
          {live ? "Waiting for the first rollouts to finish…" : "No rollouts finished."}
        </Card>
      ) : overview.isPending ? (
        <Card className="h-64 animate-pulse" aria-busy="true" aria-label="Loading overview" />
      ) : overview.isError ? (
        <Card><EmptyState title="Could not load the overview">{overview.error.message}</EmptyState></Card>
      ) : (
        <ExperimentOverview experimentId={id} overview={overview.data} />
      )}
    </div>
  );
}

/** When a run watched live reaches a final status, fetch the overview once more (its polling has stopped). */
function useRefreshWhenFinished(id: number, live: boolean) {
  const qc = useQueryClient();
  const wasLive = useRef(false);
  useEffect(() => {
    if (live) wasLive.current = true;
    else if (wasLive.current) {
      wasLive.current = false;
      void qc.invalidateQueries({ queryKey: queryKeys.experiments.overview(id) });
      void qc.invalidateQueries({ queryKey: queryKeys.experiments.list() });
    }
  }, [live, id, qc]);
}

function Header({ experiment: e }: { experiment: Experiment }) {
  const qc = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => cancelExperimentRequest(e.id),
    onSuccess: (res) => {
      qc.setQueryData(queryKeys.experiments.detail(e.id), res);
      qc.invalidateQueries({ queryKey: queryKeys.experiments.list() });
    },
  });
  const final = isFinalStatus(e.status);
  const c = e.config;
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <div className="text-xs text-zinc-500 dark:text-zinc-400">
            <Link href="/experiments" className="hover:underline">
              Experiments
            </Link>{" "}
            / #{e.id}
          </div>
          <h1 className="mt-0.5 flex flex-wrap items-center gap-3 text-2xl font-semibold tracking-tight">
            <span className="break-all">{e.name}</span>
            <ExperimentStatusBadge status={e.status} cancelling={e.job?.cancel_requested} />
          </h1>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          {/* A training run has no job here: the trainer ends it with run.finish. */}
          {!final && e.source !== "training" ? (
            <Button variant="danger" onClick={() => cancel.mutate()} disabled={cancel.isPending || e.job?.cancel_requested}>
              {cancel.isPending || e.job?.cancel_requested ? "Cancelling…" : "Cancel run"}
            </Button>
          ) : null}
          <Link
            href={`/experiments/${e.id}/groups`}
            className="inline-flex h-9 items-center rounded-md bg-indigo-600 px-3.5 text-sm font-medium text-white hover:bg-indigo-500"
          >
            Browse rollouts
          </Link>
          <Link
            href={`/experiments/${e.id}/search`}
            data-testid="search-link"
            className="inline-flex h-9 items-center rounded-md border border-indigo-600 px-3.5 text-sm font-medium text-indigo-700 hover:bg-indigo-50 dark:text-indigo-300 dark:hover:bg-indigo-950"
          >
            Search rollouts
          </Link>
          {e.source === "training" ? (
            <Link
              href={`/experiments/${e.id}/timeline`}
              data-testid="timeline-link"
              className="inline-flex h-9 items-center rounded-md border border-indigo-600 px-3.5 text-sm font-medium text-indigo-700 hover:bg-indigo-50 dark:text-indigo-300 dark:hover:bg-indigo-950"
            >
              Run timeline
            </Link>
          ) : null}
          <Link
            href={`/experiments/${e.id}/calibrate`}
            className="inline-flex h-9 items-center rounded-md border border-indigo-600 px-3.5 text-sm font-medium text-indigo-700 hover:bg-indigo-50 dark:text-indigo-300 dark:hover:bg-indigo-950"
          >
            Calibrate rewards
          </Link>
          <CompareMenu experimentId={e.id} />
          <ExportMenu experimentId={e.id} disabled={e.rollouts_done === 0} />
        </div>
      </div>
      {cancel.error ? <p className="text-sm text-red-600 dark:text-red-400">{cancel.error.message}</p> : null}
      <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2 lg:grid-cols-4">
        <Meta label="Task set">{e.task_set_name ?? "—"}</Meta>
        <Meta label="Agent">
          <DriverLabel label={e.agent_label} />
        </Meta>
        <Meta label="User">
          <DriverLabel label={e.user_label} />
        </Meta>
        <Meta label="Created">{formatTimestamp(e.created_at)}</Meta>
        <Meta label="Settings" wide>
          <span className="font-mono text-xs">
            N = {c.group_size} · max turns {c.max_turns} · max errors {c.max_errors} · T = {c.temperature} · seed {c.seed} · concurrency {c.concurrency}
          </span>
        </Meta>
      </dl>
    </div>
  );
}

function Meta({ label, children, wide }: { label: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className={"min-w-0 " + (wide ? "sm:col-span-2 lg:col-span-4" : "")}>
      <dt className="text-xs text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="mt-0.5 truncate text-zinc-800 dark:text-zinc-200">{children}</dd>
    </div>
  );
}
