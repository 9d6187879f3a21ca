/**
 * Worker warm-up while idle. V8 compiles the simulated agent, user, environment, scoring and
 * storage code as it runs, so a cold worker played its first simulated experiment at about
 * two thirds of the speed of its later ones. A worker with nothing to do runs a small
 * simulated experiment through the real runner (and so through the rollout store thread)
 * into a throwaway database file in the temp directory; the first claimed job stops it.
 * Nothing touches the real database.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeDb, openDb } from "../db/client";
import { createSimulatedRun } from "../lib/experiments/simulated-run";
import type { JobContext } from "../lib/jobs/define";
import { BEHAVIORS, synthesizeTasks } from "../lib/synthesis";
import { runExperimentJob } from "../lib/rollouts/run-job";

/** Tasks across W 1–3 × B 1–8 with every behaviour (the code paths a real grid takes), 8 samples each. */
const warmGrid = (perCell: number) => [1, 2, 3].flatMap((writes) => [1, 2, 4, 8].map((evidence) => ({ writes, evidence, count: perCell })));
const WARM_GROUP_SIZE = 8;
const WARM_PRESETS = ["expert", "average", "sloppy", "sloppy"] as const;

export interface WarmUpResult {
  rollouts: number;
  ms: number;
  aborted: boolean;
}

/** Runs about `rollouts` simulated rollouts into a throwaway database; stops early (without error) when `signal` aborts. */
export async function warmUpRollouts(rollouts: number, signal: AbortSignal): Promise<WarmUpResult> {
  const t0 = performance.now();
  if (rollouts <= 0 || signal.aborted) return { rollouts: 0, ms: 0, aborted: signal.aborted };
  const dir = mkdtempSync(join(tmpdir(), "writ-warm-up-"));
  const db = openDb(join(dir, "warm-up.db"));
  try {
    const tasks = synthesizeTasks({ grid: warmGrid(Math.ceil(rollouts / (12 * WARM_GROUP_SIZE))), seed: 1, behaviors: Object.fromEntries(BEHAVIORS.map((b) => [b, 1])) }).tasks;
    const { experiment, job } = createSimulatedRun(db, { name: "warm-up", tasks, presetsBySample: WARM_PRESETS, groupSize: WARM_GROUP_SIZE });
    const ctx: JobContext<{ experiment_id: number }> = {
      job: { id: job.id, name: job.name, attempt: 1, maxAttempts: 1 },
      payload: { experiment_id: experiment.id },
      db,
      signal,
      workerId: "warm-up",
      reportProgress: async () => {},
      heartbeat: async () => {},
      step: async (_key, fn) => fn(),
    };
    try {
      await runExperimentJob(ctx);
    } catch (err) {
      if (!signal.aborted) throw err;
    }
    const done = (db.$client.prepare("SELECT count(*) AS n FROM rollouts WHERE status = 'done'").get() as { n: number }).n;
    return { rollouts: done, ms: Math.round(performance.now() - t0), aborted: signal.aborted };
  } finally {
    closeDb(db);
    rmSync(dir, { recursive: true, force: true });
  }
}
