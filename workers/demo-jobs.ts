/**
 * Demo job handlers: they exercise the queue (progress, cancel, retry) without any domain.
 * Their kinds are test-only (lib/jobs/kinds.ts): POST /api/jobs takes them only with
 * WRIT_ENABLE_TEST_JOBS=1.
 */
import { defineJobHandler } from "../lib/jobs/define";
import { RetryableError } from "../lib/jobs/errors";
import { demoFailKind, demoNoopKind, demoSleepKind } from "../lib/jobs/kinds";

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

export const demoSleep = defineJobHandler(demoSleepKind, async (ctx) => {
  const { steps, stepMs } = ctx.payload;
  await ctx.reportProgress(0, steps, "starting");
  for (let i = 0; i < steps; i++) {
    // A step saved by an earlier attempt is skipped: a taken-over job resumes.
    await ctx.step(`step-${i}`, () => sleep(stepMs, ctx.signal).then(() => ({ i })));
    await ctx.reportProgress(i + 1, steps, `step ${i + 1} of ${steps}`);
  }
  return { steps };
}, { anyBackend: true });

export const demoNoop = defineJobHandler(demoNoopKind, async (ctx) => {
  await ctx.step("noop", () => ({ tag: ctx.payload.tag ?? null }));
  return { ok: true };
}, { anyBackend: true });

export const demoFail = defineJobHandler(demoFailKind, async (ctx) => {
  if (ctx.job.attempt <= ctx.payload.failTimes) {
    if (ctx.payload.retryable) throw new RetryableError(`simulated transient failure (attempt ${ctx.job.attempt})`);
    throw new Error(`simulated permanent failure (attempt ${ctx.job.attempt})`);
  }
  return { attempt: ctx.job.attempt };
}, { anyBackend: true });
