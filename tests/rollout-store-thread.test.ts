/**
 * The rollout store thread (lib/rollouts/store/thread.ts), run for real: simulated
 * experiments scored and stored on the second thread give exactly the rows of the one-thread
 * path, also for a rollout resumed from saved messages; a refused write fails the job with its
 * reason (SQLite's code kept, so busy stays retryable); a dying thread fails the attempt and
 * the retry completes with every rollout exactly once. Also the worker's
 * idle-time warm-up (workers/warm-up.ts), which must never touch the real database.
 */
import { existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import type { Db } from "../db/client";
import { getExperimentRow } from "../db/queries/experiments";
import { listExperimentGroups } from "../db/queries/groups";
import { resetEnvCache } from "../lib/settings";
import { createExperiment } from "../lib/experiments/create-experiment";
import { loadTaskBodies, resolveScoring, rolloutIdFor } from "../lib/rollouts/store/run-tasks";
import { getJob } from "../lib/jobs/store/queue";
import { playRollout } from "../lib/rollouts/perform-rollout";
import { openRolloutSink, rolloutStoreThreadJobs, stopRolloutStoreThread, ThreadedRolloutWriter } from "../lib/rollouts/store/thread";
import { RolloutWriter } from "../lib/rollouts/store/writer";
import { RolloutStorageError } from "../lib/rollouts/sink";
import { classifyError } from "../lib/jobs/errors";
import { warmUpRollouts } from "../workers/warm-up";
import { mixSeed } from "../lib/random/prng";
import { createWorker } from "../workers/worker";
import { insertTaskSet, synthesizeSmall } from "./experiments-fixtures";
import { createTempDb, spawnWorker, stopWorkers, waitFor, type TempDb } from "./helpers";

const temps: TempDb[] = [];
function tempDb(): TempDb {
  const t = createTempDb();
  temps.push(t);
  return t;
}

function setStoreThread(on: boolean): void {
  process.env.WRIT_ROLLOUT_THREAD = on ? "1" : "0";
  resetEnvCache();
}

afterEach(() => {
  delete process.env.WRIT_ROLLOUT_THREAD;
  resetEnvCache();
  for (const t of temps.splice(0)) t.cleanup();
});

const TASKS = synthesizeSmall(
  [
    { writes: 1, evidence: 1, count: 2 },
    { writes: 2, evidence: 4, count: 2 },
    { writes: 3, evidence: 8, count: 2 },
  ],
  21,
);
const GROUP_SIZE = 6;

let sets = 0;
function createRun(db: Db) {
  const setId = insertTaskSet(db, `store-thread ${++sets}`, TASKS);
  return createExperiment(db, {
    name: "store thread",
    task_set_id: setId,
    agent: { kind: "simulated", preset: "average", presets_by_sample: ["expert", "average", "sloppy"] },
    user: { kind: "simulated" },
    group_size: GROUP_SIZE,
    concurrency: 8,
    seed: 5,
  });
}

async function runJob(db: Db, jobId: number, backoffMs = 20): Promise<void> {
  const worker = createWorker({ db, pollMs: 10, leaseMs: 10_000, backoffMs });
  worker.start();
  try {
    await waitFor(() => {
      const status = getJob(db, jobId)?.status;
      if (status === "failed") throw new Error(`job failed: ${getJob(db, jobId)?.error}`);
      return status === "succeeded" || undefined;
    }, 60_000, "the job to succeed");
  } finally {
    await worker.stop();
  }
}

/** Every stored row of the experiment that the run decides (times and durations left out). */
function storedRows(db: Db) {
  const all = (q: string) => db.$client.prepare(q).all();
  return {
    rollouts: (
      all(`SELECT id, group_id, task_id, sample_index, status, outcome, reward, termination, turns, prompt_tokens,
             completion_tokens, error_count, metadata, violations, violation_count, preset FROM rollouts ORDER BY id`) as { id: string; status: string; metadata: string }[]
    ).map((r) => {
      const { duration_ms: _ms, ...metadata } = JSON.parse(r.metadata) as Record<string, unknown>;
      return { ...r, metadata };
    }),
    messages: all(`SELECT rollout_id, idx, role, body, content_id FROM rollout_messages ORDER BY rollout_id, idx`) as { rollout_id: string }[],
    contents: all(`SELECT id, content FROM message_contents ORDER BY id`),
    classes: all(`SELECT rollout_id, class_key, n_turns, hex(data) AS data FROM rollout_classes ORDER BY rollout_id`),
    groups: all(`SELECT id, done, passed, mean_reward FROM groups ORDER BY id`),
    experiment: all(`SELECT rollouts_done, rollouts_passed, rollouts_errored, prompt_tokens, status FROM experiments`),
  };
}

describe("the rollout store thread", () => {
  it("stores exactly the rows of the one-thread path, and is really used", async () => {
    const rows = [];
    for (const threaded of [false, true]) {
      setStoreThread(threaded);
      const t = tempDb();
      const { job } = createRun(t.db);
      const before = rolloutStoreThreadJobs();
      await runJob(t.db, job.id);
      expect(rolloutStoreThreadJobs() - before).toBe(threaded ? 1 : 0);
      rows.push(storedRows(t.db));
    }
    const [oneThread, storeThread] = rows;
    expect(oneThread.rollouts).toHaveLength(TASKS.length * GROUP_SIZE);
    expect(oneThread.messages.length).toBeGreaterThan(oneThread.rollouts.length * 5);
    expect(oneThread.classes).toHaveLength(oneThread.rollouts.length);
    expect(storeThread).toEqual(oneThread);
  });

  it("scores a resumed rollout on its whole conversation, saved messages included", async () => {
    const rows = [];
    for (const threaded of [false, true]) {
      setStoreThread(threaded);
      const t = tempDb();
      const { experiment, job } = createRun(t.db);
      // An earlier attempt was killed after saving the first messages of rollout (task 5, sample 2):
      // its start row and 4 messages are stored, the rollout is still "running".
      const exp = getExperimentRow(t.db, experiment.id)!;
      const { insertGroups, listRunTasks } = await import("../lib/rollouts/store/run-tasks");
      insertGroups(t.db, exp, listRunTasks(t.db, exp.taskSetId!, null));
      const group = listExperimentGroups(t.db, experiment.id)[5];
      const task = loadTaskBodies(t.db, exp.taskSetId!, [group.taskId]).get(group.taskId)!;
      const rolloutId = rolloutIdFor(experiment.id, group.position, 2);
      const writer = new RolloutWriter(t.db, { durable: true });
      writer.start({ id: rolloutId, experimentId: experiment.id, groupId: group.id, taskId: group.taskId, sampleIndex: 2, writes: group.writes, evidenceTotal: group.evidenceTotal, evidenceCell: group.evidenceCell, behavior: group.behavior, preset: "sloppy", createdAt: 1 });
      const played: { idx: number; message: unknown }[] = [];
      await playRollout(
        { rolloutId, experimentId: experiment.id, groupId: group.id, sample: 2, seed: mixSeed(exp.seed, group.position, 2), task, baseState: resolveScoring(t.db, exp.taskSetId).baseFor(task), policy: "", agent: { kind: "simulated", preset: "sloppy" }, user: { kind: "simulated" }, preset: "sloppy", maxTurns: exp.maxTurns, maxErrors: exp.maxErrors, saved: [] },
        (message, idx) => {
          if (idx < 4) writer.message(rolloutId, idx, message);
          played.push({ idx, message });
        },
      );
      expect(played.length).toBeGreaterThan(6);
      await runJob(t.db, job.id);
      const stored = storedRows(t.db);
      expect(stored.rollouts.find((r) => r.id === rolloutId)?.status).toBe("done");
      expect(stored.messages.filter((m) => m.rollout_id === rolloutId)).toHaveLength(played.length);
      rows.push(stored);
    }
    expect(rows[1]).toEqual(rows[0]);
  });

  it("a storage failure fails the job with its reason (as on one thread); the worker carries on", async () => {
    setStoreThread(true);
    const t = tempDb();
    const { experiment, job } = createRun(t.db);
    t.db.$client.exec(`CREATE TRIGGER refuse_message BEFORE INSERT ON rollout_messages WHEN NEW.idx = 5
                       BEGIN SELECT RAISE(ABORT, 'simulated disk failure'); END`);
    const worker = createWorker({ db: t.db, pollMs: 10, leaseMs: 10_000, backoffMs: 20 });
    worker.start();
    try {
      await waitFor(() => getJob(t.db, job.id)?.status === "failed" || undefined, 30_000, "the job to fail");
      // A refused write is the data's problem, not a transient one: no retry, the reason shown.
      expect(getJob(t.db, job.id)).toMatchObject({ attempts: 1, error: "saving rollouts failed: simulated disk failure" });
      expect(getExperimentRow(t.db, experiment.id)!.status).not.toBe("completed");
      // Nothing half-stored: no rollout holds message 5, and none is counted twice.
      const agg = t.db.$client.prepare(`SELECT count(*) n, count(DISTINCT id) ids FROM rollouts`).get() as { n: number; ids: number };
      expect(agg.n).toBe(agg.ids);
      expect(t.db.$client.prepare(`SELECT count(*) n FROM rollout_messages WHERE idx >= 5`).get()).toEqual({ n: 0 });
      // The same worker (and a new store thread job) runs the next experiment.
      t.db.$client.exec(`DROP TRIGGER refuse_message`);
      const next = createRun(t.db);
      await waitFor(() => getJob(t.db, next.job.id)?.status === "succeeded" || undefined, 60_000, "the next job to succeed");
      expect(getExperimentRow(t.db, next.experiment.id)!.rolloutsDone).toBe(TASKS.length * GROUP_SIZE);
    } finally {
      await worker.stop();
    }
  });

  it("a storage error from the thread keeps SQLite's code, so a busy database stays retryable", async () => {
    setStoreThread(true);
    const t = tempDb();
    const { experiment } = createRun(t.db);
    t.db.$client.exec(`CREATE TRIGGER refuse_start BEFORE INSERT ON rollouts BEGIN SELECT RAISE(ABORT, 'no rollouts today'); END`);
    const sink = openRolloutSink(t.db, { durable: false, taskSetId: null, taskIds: [] });
    expect(sink).toBeInstanceOf(ThreadedRolloutWriter);
    sink.start({ id: "r-x", experimentId: experiment.id, groupId: "g-x", taskId: "t", sampleIndex: 0, writes: 1, evidenceTotal: 1, evidenceCell: 1, behavior: null, preset: null, createdAt: 1 });
    const err = await Promise.resolve(sink.flush()).then(() => null, (e: unknown) => e);
    sink.close();
    expect(err).toBeInstanceOf(RolloutStorageError);
    expect((err as Error).message).toBe("saving rollouts failed: no rollouts today");
    expect(((err as Error).cause as { code?: string }).code).toBe("SQLITE_CONSTRAINT_TRIGGER");
    expect(classifyError(err).retryable).toBe(false);
    const busy = new RolloutStorageError(Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" }));
    expect(classifyError(busy).retryable).toBe(true);
    // Further calls fail at once with the same error.
    expect(() => sink.message("r-x", 0, { role: "user", content: "hi" })).toThrow(RolloutStorageError);
  });

  it("a thread that dies mid-job fails the attempt; the retry starts a new thread and completes", async () => {
    setStoreThread(true);
    const t = tempDb();
    const tasks = synthesizeSmall([{ writes: 2, evidence: 8, count: 16 }], 22);
    const setId = insertTaskSet(t.db, "long", tasks);
    const { experiment, job } = createExperiment(t.db, {
      name: "thread dies",
      task_set_id: setId,
      agent: { kind: "simulated", preset: "average" },
      user: { kind: "simulated" },
      group_size: 16,
      concurrency: 8,
    });
    const total = tasks.length * 16;
    const worker = createWorker({ db: t.db, pollMs: 10, leaseMs: 10_000, backoffMs: 20 });
    worker.start();
    try {
      await waitFor(() => (getExperimentRow(t.db, experiment.id)!.rolloutsDone > 0 ? true : undefined), 30_000, "first stored rollouts");
      expect(getExperimentRow(t.db, experiment.id)!.rolloutsDone).toBeLessThan(total);
      await stopRolloutStoreThread();
      await waitFor(() => getJob(t.db, job.id)?.status === "succeeded" || undefined, 60_000, "the retry to succeed");
    } finally {
      await worker.stop();
    }
    const j = getJob(t.db, job.id)!;
    expect(j.attempts).toBe(2);
    const agg = t.db.$client.prepare(`SELECT count(*) n, count(DISTINCT id) ids, sum(status = 'done') done FROM rollouts`).get() as { n: number; ids: number; done: number };
    expect(agg).toEqual({ n: total, ids: total, done: total });
    expect(getExperimentRow(t.db, experiment.id)!.rolloutsDone).toBe(total);
  });
});

describe("idle-time warm-up", () => {
  const leftovers = () => readdirSync(tmpdir()).filter((f) => f.startsWith("writ-warm-up-"));

  it("runs simulated rollouts in a throwaway database and removes it; an aborted signal stops it", async () => {
    const before = new Set(leftovers());
    const done = await warmUpRollouts(40, new AbortController().signal);
    expect(done.rollouts).toBeGreaterThanOrEqual(40);
    expect(done.aborted).toBe(false);
    expect(leftovers().filter((f) => !before.has(f))).toEqual([]);
    const controller = new AbortController();
    controller.abort();
    expect(await warmUpRollouts(40, controller.signal)).toEqual({ rollouts: 0, ms: 0, aborted: true });
  });

  it("SIGTERM during the warm-up: the worker exits 0 and removes the throwaway database", async () => {
    const t = tempDb();
    const before = new Set(leftovers());
    const w = spawnWorker(t.path, { WRIT_WORKER_WARMUP: "5000" });
    const fresh = () => leftovers().filter((f) => !before.has(f));
    await waitFor(() => fresh().length > 0 || undefined, 60_000, "the warm-up's database");
    w.child.kill("SIGTERM");
    expect(await w.exited, w.output()).toBe(0);
    expect(w.output()).not.toMatch(/warmed up: 5\d{3}/);
    expect(fresh()).toEqual([]);
  });

  it("a worker process warms up while idle, leaves the real database untouched, then runs jobs", async () => {
    const t = tempDb();
    const w = spawnWorker(t.path, { WRIT_WORKER_WARMUP: "48" });
    try {
      const line = await waitFor(() => /warmed up: (\d+) simulated rollouts/.exec(w.output()) ?? undefined, 60_000, "the warm-up");
      expect(Number(line[1])).toBeGreaterThanOrEqual(48);
      const count = (table: string) => (t.db.$client.prepare(`SELECT count(*) n FROM ${table}`).get() as { n: number }).n;
      expect([count("jobs"), count("experiments"), count("rollouts"), count("task_sets")]).toEqual([0, 0, 0, 0]);
      const { experiment, job } = createRun(t.db);
      await waitFor(() => getJob(t.db, job.id)?.status === "succeeded" || undefined, 60_000, "the job to succeed");
      expect(getExperimentRow(t.db, experiment.id)!.rolloutsDone).toBe(TASKS.length * GROUP_SIZE);
    } finally {
      await stopWorkers([w]);
    }
    expect(existsSync(t.path)).toBe(true);
  });
});
