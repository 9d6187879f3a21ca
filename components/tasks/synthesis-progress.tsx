"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect } from "react";
import { Button } from "@/components/ui/button";
import { ProgressBar } from "@/components/ui/progress-bar";
import { cancelJobRequest, jobQueryOptions } from "@/lib/api-client/jobs";
import { queryKeys } from "@/lib/api-client/keys";

/** Live progress of one synthesis.run job (polls until it is final), then a link to its set. */
export function SynthesisProgress({ jobId, setId, setName, onDone }: { jobId: number; setId: number; setName: string; onDone?: () => void }) {
  const queryClient = useQueryClient();
  const query = useQuery(jobQueryOptions(jobId));
  const job = query.data?.job;
  const status = job?.status ?? "queued";
  const final = status === "succeeded" || status === "failed" || status === "cancelled";
  useEffect(() => {
    if (final) {
      void queryClient.invalidateQueries({ queryKey: queryKeys.taskSets.all() });
      onDone?.();
    }
  }, [final, queryClient, onDone]);
  const cancel = useMutation({
    mutationFn: () => cancelJobRequest(jobId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.jobs.one(jobId) }),
  });
  const done = job?.progress.done ?? 0;
  const total = job?.progress.total ?? null;
  return (
    <div className="space-y-2 rounded-md border border-zinc-200 p-3 dark:border-zinc-800" data-testid="synthesis-progress" data-status={status}>
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
        <span className="font-medium">
          {setName} <span className="font-normal text-zinc-500">· job #{jobId}</span>
        </span>
        <span className="tabular-nums text-zinc-600 dark:text-zinc-400" data-testid="synthesis-progress-count">
          {status === "succeeded" ? "done" : status} · {done}/{total ?? "?"} cells
        </span>
      </div>
      <ProgressBar
        value={done}
        max={total}
        label="Synthesis progress"
        tone={status === "succeeded" ? "green" : status === "failed" ? "red" : status === "cancelled" ? "zinc" : "indigo"}
      />
      <div className="flex flex-wrap items-center justify-between gap-2 text-xs text-zinc-500 dark:text-zinc-400">
        <span>{job?.error ?? job?.progress.message ?? (status === "queued" ? "waiting for a worker…" : "")}</span>
        {final ? (
          status === "succeeded" ? (
            <Link className="text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-400" href={`/tasks/${setId}`}>
              Open task set →
            </Link>
          ) : null
        ) : (
          <Button size="sm" variant="danger" disabled={cancel.isPending || job?.cancelRequested} onClick={() => cancel.mutate()}>
            Cancel
          </Button>
        )}
      </div>
    </div>
  );
}
