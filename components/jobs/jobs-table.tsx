import { ProgressBar } from "@/components/ui/progress-bar";
import type { PublicJob } from "@/db/queries/jobs";
import { formatDuration, formatPayload, formatProgress } from "./format";
import { JobActions } from "./job-actions";
import { JobStatusBadge } from "./job-status-badge";

const th = "px-4 py-2.5 text-left text-xs font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400";
const td = "px-4 py-3 align-top";

function progressTone(status: PublicJob["status"]) {
  if (status === "succeeded") return "green" as const;
  if (status === "failed") return "red" as const;
  if (status === "cancelled" || status === "queued") return "zinc" as const;
  return "indigo" as const;
}

export function JobsTable({ jobs }: { jobs: PublicJob[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[900px] border-collapse text-sm">
        <thead className="border-b border-zinc-200 bg-zinc-50/80 dark:border-zinc-800 dark:bg-zinc-900/60">
          <tr>
            <th className={th + " w-16"}>ID</th>
            <th className={th}>Job</th>
            <th className={th + " w-32"}>Status</th>
            <th className={th + " w-64"}>Progress</th>
            <th className={th + " w-20 text-right"}>Attempts</th>
            <th className={th + " w-24 text-right"}>Duration</th>
            <th className={th + " w-44 text-right"}>Actions</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {jobs.map((job) => (
            <tr key={job.id} data-testid={`job-row-${job.id}`} data-status={job.status} className="hover:bg-zinc-50/60 dark:hover:bg-zinc-800/30">
              <td className={td + " font-mono text-xs text-zinc-500 tabular-nums"}>#{job.id}</td>
              <td className={td}>
                <div className="font-medium">{job.name}</div>
                <div className="mt-0.5 truncate font-mono text-xs text-zinc-500 dark:text-zinc-400" title={JSON.stringify(job.payload)}>
                  {formatPayload(job.payload) || "—"}
                </div>
                {job.error ? (
                  <div className="mt-1 max-w-xl text-xs break-words text-red-600 dark:text-red-400" data-testid="job-error">
                    {job.error}
                  </div>
                ) : null}
              </td>
              <td className={td}>
                <JobStatusBadge status={job.status} cancelling={job.cancelRequested} />
              </td>
              <td className={td}>
                <JobProgress job={job} />
              </td>
              <td className={td + " text-right tabular-nums"}>
                {job.attempts}
                <span className="text-zinc-400">/{job.maxAttempts}</span>
              </td>
              <td className={td + " text-right tabular-nums"}>{formatDuration(job.durationMs)}</td>
              <td className={td}>
                <JobActions job={job} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Jobs that report no total show a bar only once they succeed (nothing to measure before). */
function JobProgress({ job }: { job: PublicJob }) {
  const { done, total, message } = job.progress;
  if (total === null && job.status !== "succeeded") {
    return <span className="text-xs text-zinc-400" data-testid="job-progress">—</span>;
  }
  return (
    <>
      <div className="flex items-center gap-2">
        <ProgressBar
          value={total === null ? 1 : done}
          max={total === null ? 1 : total}
          tone={progressTone(job.status)}
          label={`Progress of job ${job.id}`}
        />
        <span className="w-14 shrink-0 text-right font-mono text-xs text-zinc-500 tabular-nums" data-testid="job-progress">
          {formatProgress(done, total)}
        </span>
      </div>
      {message ? <div className="mt-1 truncate text-xs text-zinc-500 dark:text-zinc-400">{message}</div> : null}
    </>
  );
}

export function JobsTableSkeleton({ rows = 4 }: { rows?: number }) {
  return (
    <div className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-busy="true" aria-label="Loading jobs">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="flex items-center gap-6 px-4 py-4">
          <div className="h-3 w-8 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
          <div className="h-3 w-48 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
          <div className="h-3 w-16 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
          <div className="h-1.5 flex-1 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
        </div>
      ))}
    </div>
  );
}
