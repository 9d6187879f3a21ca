/** The worker's own counters and throughput (lib/jobs/worker-stats.ts), on an explicit clock. */
import { describe, expect, it } from "vitest";
import { createWorkerStats } from "../lib/jobs/worker-stats";

describe("worker stats", () => {
  it("counts finished jobs and rates them over the samples' span, then over the last window only", () => {
    const stats = createWorkerStats(0, 60_000);
    for (let i = 0; i < 6; i++) stats.jobFinished("done");
    stats.jobFinished("failed");
    // 7 jobs in the first 30 s: 14 jobs/min.
    expect(stats.snapshot(30_000)).toMatchObject({ jobsDone: 6, jobsFailed: 1, jobsPerMin: 14 });
    // Nothing more for two minutes: the window holds no finished job any more.
    stats.snapshot(90_000);
    expect(stats.snapshot(150_000)).toMatchObject({ jobsDone: 6, jobsFailed: 1, jobsPerMin: 0 });
    // Three jobs in the next 30 s, measured against the sample at the window's start (90 s).
    for (let i = 0; i < 3; i++) stats.jobFinished("done");
    expect(stats.snapshot(180_000).jobsPerMin).toBe(2);
  });

  it("counts only rollout jobs' progress, and only above the progress a resumed job had at claim", () => {
    const stats = createWorkerStats(0);
    stats.jobClaimed(1, 0, true);
    stats.jobClaimed(2, 40, true);
    stats.jobClaimed(3, 0, false);
    stats.progressReported(1, 10);
    stats.progressReported(1, 25);
    // A resumed job first reports what was already done: no credit for it.
    stats.progressReported(2, 40);
    stats.progressReported(2, 50);
    // Progress going backwards (a job re-reporting) counts nothing, nor does a non-rollout job's.
    stats.progressReported(1, 20);
    stats.progressReported(3, 1_000);
    stats.jobSettled(1);
    stats.progressReported(1, 99);
    const snap = stats.snapshot(5_000);
    expect(snap.rolloutsDone).toBe(25 + 10);
    expect(snap.rolloutsPerSec).toBe(35 / 5);
  });

  it("reports zero rates before any time has passed", () => {
    const stats = createWorkerStats(1_000);
    stats.jobFinished("done");
    expect(stats.snapshot(1_000)).toMatchObject({ jobsDone: 1, jobsPerMin: 0, rolloutsPerSec: 0 });
  });
});
