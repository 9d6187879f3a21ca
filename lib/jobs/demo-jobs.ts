/**
 * Demo job types: they exercise the queue (progress, cancel, retry) without any domain.
 * They are test-only (`testOnly`): POST /api/jobs takes them only with WRIT_ENABLE_TEST_JOBS=1.
 */
import { z } from "zod";
import { defineJob } from "./define";
import { RetryableError } from "./errors";

/** Upper bound of one demo.sleep job's total sleep (steps × stepMs). */
export const DEMO_SLEEP_MAX_TOTAL_MS = 10 * 60_000;

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

export const demoSleep = defineJob({
  name: "demo.sleep",
  description: "Sleeps stepMs per step, reporting progress after each step.",
  enqueueFromApi: true,
  testOnly: true,
  // A demo must not hold a worker slot for days (10,000 × 60 s was ~7 days): at most 10 minutes in all.
  payloadSchema: z
    .object({
      steps: z.number().int().min(1).max(10_000),
      stepMs: z.number().int().min(0).max(60_000),
    })
    .refine((p) => p.steps * p.stepMs <= DEMO_SLEEP_MAX_TOTAL_MS, {
      message: `steps × stepMs must be at most ${DEMO_SLEEP_MAX_TOTAL_MS} ms (10 minutes)`,
      path: ["stepMs"],
    }),
  async handler(ctx) {
    const { steps, stepMs } = ctx.payload;
    await ctx.reportProgress(0, steps, "starting");
    for (let i = 0; i < steps; i++) {
      // A step saved by an earlier attempt is skipped: a taken-over job resumes.
      await ctx.step(`step-${i}`, () => sleep(stepMs, ctx.signal).then(() => ({ i })));
      await ctx.reportProgress(i + 1, steps, `step ${i + 1} of ${steps}`);
    }
    return { steps };
  },
});

export const demoNoop = defineJob({
  name: "demo.noop",
  description: "Does nothing but record one step (used to prove exactly-once execution).",
  enqueueFromApi: true,
  testOnly: true,
  payloadSchema: z.object({ tag: z.string().max(200).optional() }),
  async handler(ctx) {
    await ctx.step("noop", () => ({ tag: ctx.payload.tag ?? null }));
    return { ok: true };
  },
});

export const demoFail = defineJob({
  name: "demo.fail",
  description: "Fails its first failTimes attempts, retryably or not.",
  enqueueFromApi: true,
  testOnly: true,
  maxAttempts: 3,
  payloadSchema: z.object({
    retryable: z.boolean(),
    failTimes: z.number().int().min(0).max(100).default(1),
  }),
  async handler(ctx) {
    if (ctx.job.attempt <= ctx.payload.failTimes) {
      if (ctx.payload.retryable) throw new RetryableError(`simulated transient failure (attempt ${ctx.job.attempt})`);
      throw new Error(`simulated permanent failure (attempt ${ctx.job.attempt})`);
    }
    return { attempt: ctx.job.attempt };
  },
});
