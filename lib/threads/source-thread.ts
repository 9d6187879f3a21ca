/**
 * Starts a worker thread on a TypeScript entry when running from source (worker processes,
 * CLI, tests, scripts under tsx). A worker thread does not inherit its parent's loader, so
 * the entry is required through tsx's CommonJS hook. The Next server bundles its thread
 * entries instead (see lib/calibration/estimator-thread.ts).
 */
import { fileURLToPath } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";

export function spawnSourceThread(entry: URL, options: Omit<WorkerOptions, "eval"> = {}): Worker {
  const file = fileURLToPath(entry);
  return new Worker(`require("tsx/cjs"); require(${JSON.stringify(file)});`, { ...options, eval: true });
}
