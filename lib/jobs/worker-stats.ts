/**
 * A worker's own counters and throughput, kept in memory and written to its `workers` row with
 * every heartbeat (lib/jobs/store/workers.ts). No per-event table: the rates come from samples
 * of the counters the worker takes at each heartbeat.
 *
 * Definitions (what the jobs page shows):
 * - jobsDone / jobsFailed: jobs this worker completed / marked failed since it started
 *   (retries, cancels, releases and lost leases count as neither);
 * - rolloutsDone: progress a rollouts.run job reported while this worker held it, above the
 *   progress the job had when claimed (its progress counts finished rollouts);
 * - jobsPerMin, rolloutsPerSec: the growth of (jobsDone + jobsFailed) and of rolloutsDone over
 *   the last THROUGHPUT_WINDOW_MS, divided by the time the samples span (a young worker's
 *   rate is over its life so far).
 */

export const THROUGHPUT_WINDOW_MS = 60_000;

export interface WorkerCounters {
  jobsDone: number;
  jobsFailed: number;
  rolloutsDone: number;
}

export interface WorkerThroughput {
  jobsPerMin: number;
  rolloutsPerSec: number;
}

export type WorkerStatsSnapshot = WorkerCounters & WorkerThroughput;

interface Sample {
  at: number;
  jobs: number;
  rollouts: number;
}

export interface WorkerStats {
  jobFinished(outcome: "done" | "failed"): void;
  /** A job's reported progress; only rollout jobs' progress counts (see the definitions above). */
  progressReported(jobId: number, done: number): void;
  /** A job was claimed with this much progress already recorded (a resumed job). */
  jobClaimed(jobId: number, progressAtClaim: number, countsRollouts: boolean): void;
  jobSettled(jobId: number): void;
  /** Takes a sample at `now` and returns the counters with the rates over the window. */
  snapshot(now: number): WorkerStatsSnapshot;
}

export function createWorkerStats(startedAt: number, windowMs = THROUGHPUT_WINDOW_MS): WorkerStats {
  const counters: WorkerCounters = { jobsDone: 0, jobsFailed: 0, rolloutsDone: 0 };
  // Highest progress seen per running rollout job; only growth above it counts.
  const rolloutProgress = new Map<number, number>();
  const samples: Sample[] = [{ at: startedAt, jobs: 0, rollouts: 0 }];

  return {
    jobFinished(outcome) {
      if (outcome === "done") counters.jobsDone++;
      else counters.jobsFailed++;
    },
    jobClaimed(jobId, progressAtClaim, countsRollouts) {
      if (countsRollouts) rolloutProgress.set(jobId, progressAtClaim);
    },
    progressReported(jobId, done) {
      const seen = rolloutProgress.get(jobId);
      if (seen === undefined || done <= seen) return;
      counters.rolloutsDone += done - seen;
      rolloutProgress.set(jobId, done);
    },
    jobSettled(jobId) {
      rolloutProgress.delete(jobId);
    },
    snapshot(now) {
      samples.push({ at: now, jobs: counters.jobsDone + counters.jobsFailed, rollouts: counters.rolloutsDone });
      // Keep the newest sample at or before the window's start, so the rate spans the full window.
      while (samples.length > 2 && samples[1].at <= now - windowMs) samples.shift();
      return { ...counters, ...ratesBetween(samples[0], samples[samples.length - 1]) };
    },
  };
}

export function ratesBetween(from: Sample, to: Sample): WorkerThroughput {
  const ms = to.at - from.at;
  if (ms <= 0) return { jobsPerMin: 0, rolloutsPerSec: 0 };
  return {
    jobsPerMin: ((to.jobs - from.jobs) * 60_000) / ms,
    rolloutsPerSec: ((to.rollouts - from.rollouts) * 1_000) / ms,
  };
}
