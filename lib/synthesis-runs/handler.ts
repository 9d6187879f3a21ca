/**
 * The `synthesis.run` job: fill a task set from a synthesis config on an environment.
 * Progress is cells done / total cells; cancel (ctx.signal) stops the synthesis thread and
 * leaves the set "cancelled" with no tasks; tasks and the report are stored in one
 * transaction at the end, so a retry or takeover starts clean. lib/synthesis stays the pure
 * generator; this folder runs it as a job (registered in workers/job-handlers.ts).
 */
import { getEnvironment, sourceOfRow } from "../environment-sources/rows";
import type { EnvironmentSource } from "../environment-sources/resolve";
import { defineJobHandler } from "../jobs/define";
import { JobCancelledError, PayloadError, classifyError } from "../jobs/errors";
import { synthesisRunKind } from "../jobs/kinds";
import { runSynthesisThread, type SynthesisProgressEvent } from "./thread";
import { getTaskSet, storeSynthesisResult, updateTaskSetStatus } from "./store";

/** Progress writes are throttled: the synthesizer reports after every task. */
const PROGRESS_EVERY_MS = 200;

export const synthesisRun = defineJobHandler(synthesisRunKind, async (ctx) => {
  const { task_set_id: setId, environment_id: envId, config } = ctx.payload;
  const set = getTaskSet(ctx.db, setId);
  if (!set) throw new PayloadError(`task set ${setId} not found`, "task_set_id");
  let source: EnvironmentSource | null = null;
  if (envId !== undefined && envId !== null) {
    const row = getEnvironment(ctx.db, envId);
    if (!row) throw new PayloadError(`environment ${envId} not found`, "environment_id");
    source = sourceOfRow(row);
  }
  const cells = config.grid.length;
  updateTaskSetStatus(ctx.db, setId, "running", { error: null, jobId: ctx.job.id });
  await ctx.reportProgress(0, cells, "starting");

  let lastWrite = 0;
  let lastDone = -1;
  let chain: Promise<void> = Promise.resolve();
  const onProgress = (p: SynthesisProgressEvent) => {
    const done = p.built >= p.requested ? p.cell + 1 : p.cell;
    const now = Date.now();
    if (done === lastDone && now - lastWrite < PROGRESS_EVERY_MS) return;
    lastDone = done;
    lastWrite = now;
    const cell = config.grid[p.cell];
    const message = `cell ${p.cell + 1}/${p.cells} (W=${cell?.writes}, B=${cell?.evidence}): ${p.built}/${p.requested} built`;
    // Sequential writes; a lost lease aborts ctx.signal, which stops the thread.
    chain = chain.then(() => ctx.reportProgress(done, cells, message)).catch(() => {});
  };

  try {
    const result = await runSynthesisThread({ source, config }, { signal: ctx.signal, onProgress });
    await chain;
    ctx.signal.throwIfAborted();
    storeSynthesisResult(ctx.db, setId, result.tasks, result.report);
    await ctx.reportProgress(cells, cells, `built ${result.report.total_built} of ${result.report.total_requested} tasks`);
    return { task_set_id: setId, tasks: result.report.total_built, requested: result.report.total_requested };
  } catch (err) {
    await chain;
    markSetAfterFailure(ctx, setId, err);
    throw err;
  }
});

/** Leave the set in the state its job is about to be in (cancelled, queued for a retry, or failed). */
function markSetAfterFailure(
  ctx: { db: Parameters<typeof updateTaskSetStatus>[0]; signal: AbortSignal; job: { attempt: number; maxAttempts: number } },
  setId: number,
  err: unknown,
): void {
  const reason: unknown = ctx.signal.aborted ? ctx.signal.reason : undefined;
  try {
    if (reason instanceof JobCancelledError) {
      updateTaskSetStatus(ctx.db, setId, "cancelled", { error: "cancelled" });
    } else if (reason !== undefined) {
      // Worker shutdown or lost lease: the job goes back to the queue.
      updateTaskSetStatus(ctx.db, setId, "queued");
    } else {
      const c = classifyError(err);
      const willRetry = c.retryable && ctx.job.attempt < ctx.job.maxAttempts;
      updateTaskSetStatus(ctx.db, setId, willRetry ? "queued" : "failed", { error: c.reason });
    }
  } catch {
    // Best effort: the job row carries the outcome anyway (and the set summary reads it).
  }
}
