"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { ProgressBar } from "@/components/ui/progress-bar";
import { jobQueryOptions } from "@/lib/api-client/jobs";

/** On a set page while it is being synthesized: live progress, then a server refresh once the job is final. */
export function SetWatcher({ jobId }: { jobId: number }) {
  const router = useRouter();
  const query = useQuery(jobQueryOptions(jobId));
  const job = query.data?.job;
  const final = job && job.status !== "queued" && job.status !== "running";
  useEffect(() => {
    if (final) router.refresh();
  }, [final, router]);
  return (
    <div className="space-y-2 p-4" data-testid="set-progress">
      <div className="flex justify-between text-sm">
        <span>{job?.progress.message ?? "waiting for a worker…"}</span>
        <span className="tabular-nums text-zinc-500">
          {job?.progress.done ?? 0}/{job?.progress.total ?? "?"} cells
        </span>
      </div>
      <ProgressBar value={job?.progress.done ?? 0} max={job?.progress.total ?? null} label="Synthesis progress" />
    </div>
  );
}
