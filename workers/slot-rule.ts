/**
 * Per-kind slot limit: one job kind (a job name such as `demo.sleep` or `rollouts.run`) may
 * hold at most `concurrency - 1` of a worker's slots. The last free slot is kept for other
 * kinds, so long jobs of one kind (a queue of 10-minute sleeps, big exports, syntheses) can
 * never starve a new experiment, and a queue of experiments never starves an export.
 *
 * Why this rule rather than priorities or a reserved `rollouts.*` slot: it needs no list of
 * "important" kinds that new job types would have to join, it is checked from what the worker
 * already knows (its running jobs), and it costs little throughput: one job already uses the
 * machine (an experiment runs many conversations at once), so a worker running
 * `concurrency - 1` jobs of one kind is busy anyway. With concurrency 1 there is only one
 * slot and jobs simply run in queue order.
 */
export function kindAtSlotLimit(runningNames: readonly string[], concurrency: number): string | undefined {
  if (concurrency < 2) return undefined;
  const counts = new Map<string, number>();
  for (const name of runningNames) counts.set(name, (counts.get(name) ?? 0) + 1);
  for (const [name, n] of counts) if (n >= concurrency - 1) return name;
  return undefined;
}
