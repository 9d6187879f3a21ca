import { Badge, type BadgeTone } from "@/components/ui/badge";
import { ProgressBar } from "@/components/ui/progress-bar";
import type { WorkerHostView, WorkerJobView, WorkerState, WorkerView } from "@/lib/api-client/workers";
import { formatAge, formatProgress, formatRate } from "./format";

const th = "px-4 py-2 text-left text-xs font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400";
const td = "px-4 py-2.5 align-top";

const stateTone: Record<WorkerState, BadgeTone> = { live: "green", stale: "amber", stopped: "neutral" };

/** The worker pool, one table body per host (`checkedAt`: the server's clock, so ages never depend on the browser's). */
export function WorkersTable({ hosts, checkedAt }: { hosts: WorkerHostView[]; checkedAt: number }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[900px] border-collapse text-sm">
        <thead className="border-b border-zinc-200 bg-zinc-50/80 dark:border-zinc-800 dark:bg-zinc-900/60">
          <tr>
            <th className={th}>Worker</th>
            <th className={th + " w-44"}>Heartbeat</th>
            <th className={th}>Current jobs</th>
            <th className={th + " w-20 text-right"}>Slots</th>
            <th className={th + " w-28 text-right"}>Done / failed</th>
            <th className={th + " w-36 text-right"}>Throughput</th>
          </tr>
        </thead>
        {hosts.map((h) => (
          <tbody key={h.host} data-testid="worker-host" data-host={h.host} className="divide-y divide-zinc-100 dark:divide-zinc-800">
            <tr className="bg-zinc-50/60 dark:bg-zinc-800/30">
              <th scope="rowgroup" colSpan={6} className="px-4 py-2 text-left text-xs font-semibold text-zinc-700 dark:text-zinc-300">
                <span className="font-mono">{h.host}</span>
                <span className="ml-2 font-normal text-zinc-500 dark:text-zinc-400" data-testid="worker-host-count">
                  {h.workers.length} {h.workers.length === 1 ? "worker" : "workers"}
                  {h.live < h.workers.length ? ` · ${h.live} live` : ""}
                </span>
              </th>
            </tr>
            {h.workers.map((w) => (
              <WorkerRowView key={w.id} worker={w} checkedAt={checkedAt} />
            ))}
          </tbody>
        ))}
      </table>
    </div>
  );
}

function WorkerRowView({ worker: w, checkedAt }: { worker: WorkerView; checkedAt: number }) {
  const live = w.state === "live";
  return (
    <tr
      data-testid="worker-row"
      data-worker-id={w.id}
      data-state={w.state}
      className={live ? "" : "text-zinc-400 opacity-70 dark:text-zinc-500"}
    >
      <td className={td}>
        <div className="font-mono text-xs">{w.id}</div>
        <div className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">
          pid {w.pid}
          {w.version ? ` · v${w.version}` : ""}
          {w.node ? ` · node ${w.node}` : ""} · started {formatAge(Math.max(0, checkedAt - w.startedAt))} ago
        </div>
      </td>
      <td className={td}>
        <Badge tone={stateTone[w.state]}>{w.state}</Badge>
        <div className="mt-1 text-xs tabular-nums text-zinc-500 dark:text-zinc-400" data-testid="worker-heartbeat">
          {live ? `${formatAge(w.heartbeatAgeMs)} ago` : `last seen ${formatAge(w.heartbeatAgeMs)} ago`}
        </div>
      </td>
      <td className={td}>
        {w.jobs.length === 0 ? (
          <span className="text-xs text-zinc-400">{live ? "idle" : "—"}</span>
        ) : (
          <ul className="space-y-1.5">
            {w.jobs.map((job) => (
              <WorkerJob key={job.id} job={job} dim={!live} />
            ))}
          </ul>
        )}
      </td>
      <td className={td + " text-right tabular-nums"}>
        {w.running}
        <span className="text-zinc-400">/{w.concurrency}</span>
      </td>
      <td className={td + " text-right tabular-nums"} data-testid="worker-counts">
        {w.jobsDone}
        <span className="text-zinc-400"> / </span>
        <span className={w.jobsFailed > 0 && live ? "text-red-600 dark:text-red-400" : ""}>{w.jobsFailed}</span>
      </td>
      <td className={td + " text-right text-xs tabular-nums"} data-testid="worker-throughput">
        {live ? (
          <>
            <div>{formatRate(w.jobsPerMin)} jobs/min</div>
            {w.rolloutsDone > 0 ? <div className="text-zinc-500 dark:text-zinc-400">{formatRate(w.rolloutsPerSec)} rollouts/s</div> : null}
          </>
        ) : (
          "—"
        )}
      </td>
    </tr>
  );
}

function WorkerJob({ job, dim }: { job: WorkerJobView; dim: boolean }) {
  const { done, total } = job.progress;
  return (
    <li data-testid="worker-job" data-job-id={job.id}>
      <div className="text-xs">
        <span className="font-mono text-zinc-500 tabular-nums">#{job.id}</span> <span className="font-medium">{job.name}</span>
        {job.label ? <span className="text-zinc-500 dark:text-zinc-400"> · {job.label}</span> : null}
      </div>
      {total !== null ? (
        <div className="mt-1 flex max-w-64 items-center gap-2">
          <ProgressBar value={done} max={total} tone={dim ? "zinc" : "indigo"} label={`Progress of job ${job.id}`} />
          <span className="w-16 shrink-0 text-right font-mono text-xs text-zinc-500 tabular-nums">{formatProgress(done, total)}</span>
        </div>
      ) : null}
    </li>
  );
}

export function WorkersTableSkeleton({ rows = 2 }: { rows?: number }) {
  return (
    <div className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-busy="true" aria-label="Loading workers">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="flex items-center gap-6 px-4 py-4">
          <div className="h-3 w-56 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
          <div className="h-3 w-16 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
          <div className="h-1.5 flex-1 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
        </div>
      ))}
    </div>
  );
}
