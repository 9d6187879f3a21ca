/**
 * The jobs page's view of the worker pool (GET /api/workers): worker rows grouped by host,
 * each flagged live / stale / stopped, with the jobs it is running. Pure: the store
 * (./store/workers.ts) reads the rows and hands them here. Only what an operator needs is
 * copied out: no payloads (a job's label is its experiment or task set name), nothing secret.
 */
import type { JobRow, WorkerRow } from "../../db/schema";

/**
 * live: heartbeating · stale: registered as running but silent longer than the live window
 * (crashed, killed, or its machine gone: its leases expire and its jobs go to other workers) ·
 * stopped: shut down cleanly.
 */
export type WorkerState = "live" | "stale" | "stopped";

export interface WorkerJobView {
  id: number;
  name: string;
  /** The experiment or task set the job works on, when its payload names one. */
  label: string | null;
  progress: { done: number; total: number | null; message: string | null };
  startedAt: number | null;
}

export interface WorkerView {
  id: string;
  host: string;
  pid: number;
  concurrency: number;
  running: number;
  status: WorkerRow["status"];
  state: WorkerState;
  version: string | null;
  node: string | null;
  startedAt: number;
  heartbeatAt: number;
  heartbeatAgeMs: number;
  jobsDone: number;
  jobsFailed: number;
  rolloutsDone: number;
  jobsPerMin: number;
  rolloutsPerSec: number;
  jobs: WorkerJobView[];
}

export interface WorkerHostView {
  host: string;
  workers: WorkerView[];
  live: number;
}

export interface WorkersOverview {
  hosts: WorkerHostView[];
  /** A running worker silent for longer than this is stale. */
  staleAfterMs: number;
  checkedAt: number;
}

export function workerState(row: Pick<WorkerRow, "status" | "heartbeatAt">, now: number, staleAfterMs: number): WorkerState {
  if (row.status === "stopped") return "stopped";
  return now - row.heartbeatAt > staleAfterMs ? "stale" : "live";
}

/** A job's lease owner is `<worker id>/<claim token>` (workers/worker.ts). */
export function leaseOwnerWorkerId(leaseOwner: string | null): string | undefined {
  if (!leaseOwner) return undefined;
  const slash = leaseOwner.lastIndexOf("/");
  return slash > 0 ? leaseOwner.slice(0, slash) : undefined;
}

/** The experiment id a job's payload names (rollouts.run, exports.create), if any. */
export function payloadExperimentId(payload: unknown): number | undefined {
  const id = (payload as { experiment_id?: unknown } | null)?.experiment_id;
  return typeof id === "number" && Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

function jobLabel(payload: unknown, experimentNames: ReadonlyMap<number, string>): string | null {
  const experimentId = payloadExperimentId(payload);
  if (experimentId !== undefined) return experimentNames.get(experimentId) ?? `experiment ${experimentId}`;
  const p = payload as { task_set_name?: unknown; task_set_id?: unknown } | null;
  if (typeof p?.task_set_name === "string" && p.task_set_name) return p.task_set_name;
  if (typeof p?.task_set_id === "number") return `task set ${p.task_set_id}`;
  return null;
}

const stateOrder: Record<WorkerState, number> = { live: 0, stale: 1, stopped: 2 };

export function buildWorkersOverview(input: {
  workers: readonly WorkerRow[];
  runningJobs: readonly Pick<JobRow, "id" | "name" | "payload" | "leaseOwner" | "progressDone" | "progressTotal" | "progressMessage" | "startedAt">[];
  experimentNames: ReadonlyMap<number, string>;
  now: number;
  staleAfterMs: number;
}): WorkersOverview {
  const { now, staleAfterMs } = input;
  const jobsByWorker = new Map<string, WorkerJobView[]>();
  for (const job of input.runningJobs) {
    const workerId = leaseOwnerWorkerId(job.leaseOwner);
    if (workerId === undefined) continue;
    const list = jobsByWorker.get(workerId) ?? [];
    list.push({
      id: job.id,
      name: job.name,
      label: jobLabel(job.payload, input.experimentNames),
      progress: { done: job.progressDone, total: job.progressTotal, message: job.progressMessage },
      startedAt: job.startedAt,
    });
    jobsByWorker.set(workerId, list);
  }

  const byHost = new Map<string, WorkerView[]>();
  for (const w of input.workers) {
    const view: WorkerView = {
      id: w.id,
      host: w.host,
      pid: w.pid,
      concurrency: w.concurrency,
      running: w.running,
      status: w.status,
      state: workerState(w, now, staleAfterMs),
      version: w.version,
      node: w.nodeVersion,
      startedAt: w.startedAt,
      heartbeatAt: w.heartbeatAt,
      heartbeatAgeMs: Math.max(0, now - w.heartbeatAt),
      jobsDone: w.jobsDone,
      jobsFailed: w.jobsFailed,
      rolloutsDone: w.rolloutsDone,
      jobsPerMin: w.jobsPerMin,
      rolloutsPerSec: w.rolloutsPerSec,
      jobs: (jobsByWorker.get(w.id) ?? []).sort((a, b) => a.id - b.id),
    };
    const list = byHost.get(w.host) ?? [];
    list.push(view);
    byHost.set(w.host, list);
  }

  const hosts = [...byHost.entries()].map(([host, workers]) => ({
    host,
    // Live first, then the most recently started.
    workers: workers.sort((a, b) => stateOrder[a.state] - stateOrder[b.state] || b.startedAt - a.startedAt || a.id.localeCompare(b.id)),
    live: workers.filter((w) => w.state === "live").length,
  }));
  // Hosts with live workers first, then by name.
  hosts.sort((a, b) => Number(b.live > 0) - Number(a.live > 0) || a.host.localeCompare(b.host));
  return { hosts, staleAfterMs, checkedAt: now };
}
