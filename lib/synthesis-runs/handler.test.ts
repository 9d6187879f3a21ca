/**
 * The synthesis.run job handler run directly against a temp db (its context built by hand,
 * as the worker builds it), plus one pass through a real in-process worker.
 */
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTempDb, waitFor, type TempDb } from "../../tests/helpers";
import { jobs, taskSets } from "../../db/schema";
import { createWorker } from "../../workers/worker";
import type { JobContext } from "../jobs/define";
import { JobCancelledError, PayloadError } from "../jobs/errors";
import { getJob } from "../jobs/store/queue";
import { validateJobPayload } from "../jobs/validate";
import type { SynthesisJobPayload } from "../jobs/payloads";
import { getDefaultEnvironment } from "../environment-sources/rows";
import { synthesisRun } from "./handler";
import { createSynthesisTaskSet } from "./enqueue";
import { getTaskSetSummary, listTasks, taskSetFacets } from "./store";
import { parseSynthesisConfig } from "../synthesis/config";
import type { SynthesisReport } from "../synthesis/synthesize";

let t: TempDb;
beforeEach(() => {
  t = createTempDb();
});
afterEach(() => t.cleanup());

const CONFIG = parseSynthesisConfig({
  grid: [
    { writes: 1, evidence: 1, count: 2 },
    { writes: 2, evidence: 2, count: 2 },
    { writes: 1, evidence: 4, count: 1 },
  ],
  behaviors: { cooperative: 1, terse: 1 },
  seed: 3,
});

function makeContext(jobId: number, controller = new AbortController(), onProgress?: (message: string | null | undefined) => void) {
  const job = getJob(t.db, jobId)!;
  const progress: { done: number; total: number | null | undefined; message: string | null | undefined }[] = [];
  const ctx: JobContext<SynthesisJobPayload> = {
    job: { id: job.id, name: job.name, attempt: 1, maxAttempts: 3 },
    payload: validateJobPayload(job.name, job.payload) as SynthesisJobPayload,
    db: t.db,
    signal: controller.signal,
    workerId: "test",
    async reportProgress(done, total, message) {
      progress.push({ done, total, message });
      onProgress?.(message);
    },
    async heartbeat() {},
    async step(_key, fn) {
      return fn();
    },
  };
  return { ctx, progress, controller };
}

describe("synthesis.run", () => {
  it("stores tasks, columns and the report, reporting cells done / total", async () => {
    const env = getDefaultEnvironment(t.db);
    const { set, job } = createSynthesisTaskSet(t.db, { name: "small", environmentId: env.id, config: CONFIG });
    expect(set.status).toBe("queued");
    expect(t.db.select().from(taskSets).where(eq(taskSets.id, set.id)).get()?.jobId).toBe(job.id);

    const { ctx, progress } = makeContext(job.id);
    const result = await synthesisRun.handler(ctx);
    expect(result).toEqual({ task_set_id: set.id, tasks: 5, requested: 5 });

    const { set: stored, summary } = getTaskSetSummary(t.db, set.id);
    expect(summary).toMatchObject({ status: "ready", task_count: 5, requested: 5, error: null });
    const report = stored.report as unknown as SynthesisReport;
    expect(report.cells.map((c) => [c.writes, c.evidence, c.requested, c.built])).toEqual([
      [1, 1, 2, 2],
      [2, 2, 2, 2],
      [1, 4, 1, 1],
    ]);
    expect(report.state_seed).toBe(env.seed);

    // Progress: starts at 0 of 3 cells, never goes backwards, ends at 3 of 3.
    expect(progress[0]).toMatchObject({ done: 0, total: 3 });
    expect(progress.at(-1)).toMatchObject({ done: 3, total: 3 });
    for (let i = 1; i < progress.length; i++) expect(progress[i].done).toBeGreaterThanOrEqual(progress[i - 1].done);
    expect(progress.some((p) => p.message?.startsWith("cell 2/3 (W=2, B=2)"))).toBe(true);

    const list = listTasks(t.db, set.id, { writes: 2 });
    expect(list.total).toBe(2);
    expect(list.tasks.every((x) => x.writes === 2 && x.evidence === 2 && x.decision_types.length > 0)).toBe(true);
    const facets = taskSetFacets(t.db, set.id);
    expect(facets.writes).toEqual([1, 2]);
    expect(facets.evidence).toEqual([1, 2, 4]);
    expect(facets.behaviors.every((b) => b === "cooperative" || b === "terse")).toBe(true);
    const dt = facets.decisionTypes[0];
    expect(listTasks(t.db, set.id, { decisionType: dt }).total).toBeGreaterThan(0);
    expect(listTasks(t.db, set.id, { decisionType: "no_such_type" }).total).toBe(0);
  });

  it("honours cancel: the thread stops, the set is cancelled and holds no tasks", async () => {
    const { set, job } = createSynthesisTaskSet(t.db, {
      name: "big",
      environmentId: null,
      config: parseSynthesisConfig({ grid: [{ writes: 3, evidence: 8, count: 400 }], seed: 1 }),
    });
    // Cancel once the synthesizer is demonstrably mid-cell (it reported built tasks).
    const controller = new AbortController();
    const { ctx, progress } = makeContext(job.id, controller, (m) => {
      if (m?.startsWith("cell 1/1") && !controller.signal.aborted) controller.abort(new JobCancelledError());
    });
    await expect(synthesisRun.handler(ctx)).rejects.toBeInstanceOf(JobCancelledError);
    expect(progress.at(-1)?.message).toMatch(/^cell 1\/1 \(W=3, B=8\): \d+\/400 built$/);
    const { summary } = getTaskSetSummary(t.db, set.id);
    expect(summary.status).toBe("cancelled");
    expect(summary.task_count).toBe(0);
    expect(listTasks(t.db, set.id).total).toBe(0);
  });

  it("rejects bad payloads naming the field, and a missing task set", async () => {
    expect(() => validateJobPayload("synthesis.run", { task_set_id: 1, config: { grid: [{ writes: 1, evidence: 0, count: 1 }] } })).toThrow(
      PayloadError,
    );
    try {
      validateJobPayload("synthesis.run", { task_set_id: 1, config: { grid: [{ writes: 1, evidence: 0, count: 1 }] } });
    } catch (e) {
      expect((e as PayloadError).field).toBe("payload.config.grid.0.evidence");
    }
    const { job } = createSynthesisTaskSet(t.db, { name: "x", environmentId: null, config: CONFIG });
    const { ctx } = makeContext(job.id);
    await expect(synthesisRun.handler({ ...ctx, payload: { ...ctx.payload, task_set_id: 999 } })).rejects.toThrow(/task set 999 not found/);
  });

  it("runs to success in a real worker", async () => {
    const { set, job } = createSynthesisTaskSet(t.db, { name: "via worker", environmentId: null, config: CONFIG });
    const worker = createWorker({ db: t.db, pollMs: 20, leaseMs: 5_000 });
    worker.start();
    try {
      const done = await waitFor(
        () => {
          const j = t.db.select().from(jobs).where(eq(jobs.id, job.id)).get();
          return j && (j.status === "succeeded" || j.status === "failed") ? j : undefined;
        },
        30_000,
        "synthesis job to finish",
      );
      expect(done.error).toBeNull();
      expect(done.status).toBe("succeeded");
      expect(done.progressDone).toBe(3);
      expect(getTaskSetSummary(t.db, set.id).summary).toMatchObject({ status: "ready", task_count: 5 });
    } finally {
      await worker.stop();
    }
  });
});
