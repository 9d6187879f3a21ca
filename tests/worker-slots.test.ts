/**
 * Worker starvation (issue 20, item 8), with real worker processes: long demo.sleep jobs
 * queued beyond every slot must not keep a new experiment waiting. One kind may hold at most
 * concurrency - 1 slots of a worker (workers/slot-rule.ts), so the experiment's rollouts.run
 * job is claimed while the sleeps still run.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { jobs } from "../db/schema";
import { createTempDb, spawnWorker, stopWorkers, waitFor, type SpawnedWorker, type TempDb } from "./helpers";
import { synthesizeSmall } from "./experiments-fixtures";
import { createSimulatedRun } from "../lib/experiments/simulated-run";
import { getJob } from "../lib/jobs/store/queue";
import { enqueueJob } from "../lib/jobs/store/enqueue";
import { kindAtSlotLimit } from "../workers/slot-rule";

describe("kindAtSlotLimit", () => {
  it("keeps the last free slot from the kind that holds the others", () => {
    expect(kindAtSlotLimit([], 4)).toBeUndefined();
    expect(kindAtSlotLimit(["demo.sleep", "demo.sleep"], 4)).toBeUndefined();
    expect(kindAtSlotLimit(["demo.sleep", "demo.sleep", "demo.sleep"], 4)).toBe("demo.sleep");
    expect(kindAtSlotLimit(["demo.sleep", "rollouts.run", "demo.sleep"], 4)).toBeUndefined();
    expect(kindAtSlotLimit(["rollouts.run"], 2)).toBe("rollouts.run");
    // One slot: nothing to keep free, jobs run in queue order.
    expect(kindAtSlotLimit(["demo.sleep"], 1)).toBeUndefined();
  });
});

describe("a worker full of long jobs", () => {
  let t: TempDb;
  const procs: SpawnedWorker[] = [];
  beforeAll(() => {
    t = createTempDb();
  });
  afterAll(async () => {
    await stopWorkers(procs);
    t.cleanup();
  });

  it("still starts a new experiment promptly", async () => {
    const CONCURRENCY = 3;
    // Ten-minute sleeps (the largest a demo.sleep may be), more of them than there are slots.
    const sleeps = Array.from({ length: 2 * CONCURRENCY }, () => enqueueJob(t.db, "demo.sleep", { steps: 600, stepMs: 1_000 }).id);
    procs.push(spawnWorker(t.path, { WRIT_WORKER_CONCURRENCY: String(CONCURRENCY) }));
    const running = () => t.db.select({ id: jobs.id }).from(jobs).where(eq(jobs.status, "running")).all().length;
    await waitFor(() => running() >= CONCURRENCY - 1 || undefined, 30_000, "the sleeps to start");
    // Give the worker several polls in which it could take a third sleep if the rule were missing.
    await new Promise((r) => setTimeout(r, 500));

    const run = createSimulatedRun(t.db, {
      name: "after the sleeps",
      tasks: synthesizeSmall([{ writes: 1, evidence: 1, count: 2 }]),
      presetsBySample: ["expert"],
      groupSize: 2,
    });
    const claimed = await waitFor(() => {
      const j = getJob(t.db, run.job.id);
      return j && j.status !== "queued" ? j : undefined;
    }, 10_000, "the experiment's job to be claimed");
    expect(claimed.status).not.toBe("queued");
    // Claimed while the sleeps still hold their slots (they run for ten minutes).
    const stillSleeping = sleeps.filter((id) => getJob(t.db, id)?.status === "running");
    expect(stillSleeping).toHaveLength(CONCURRENCY - 1);
    await waitFor(() => getJob(t.db, run.job.id)?.status === "succeeded" || undefined, 60_000, "the experiment to finish");
  });
});
