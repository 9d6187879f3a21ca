/** The experiment runner's job name, in its own module so enqueuers need not import the handler. */
export const ROLLOUTS_RUN_JOB = "rollouts.run";
