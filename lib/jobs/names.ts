/**
 * The job kinds' names, in a module of their own so enqueuers (and the UI's readers of job
 * rows) need not import a handler. A name looks like `domain.verb` (lib/jobs/kinds.ts checks).
 */
/** The experiment runner (lib/rollouts/run-job.ts). */
export const ROLLOUTS_RUN_JOB = "rollouts.run";
/** Task-set synthesis (lib/synthesis-runs/handler.ts). */
export const SYNTHESIS_JOB = "synthesis.run";
/** An experiment export written to a file (lib/exports/job.ts). */
export const EXPORTS_CREATE_JOB = "exports.create";
/** Demo jobs: they exercise the queue without any domain (workers/demo-jobs.ts). */
export const DEMO_SLEEP_JOB = "demo.sleep";
export const DEMO_NOOP_JOB = "demo.noop";
export const DEMO_FAIL_JOB = "demo.fail";
