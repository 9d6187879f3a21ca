/**
 * Runs inside a worker thread started by ./thread.ts: resolves the environment, runs the
 * (synchronous, CPU-bound) synthesizer and posts progress and the result back. Keeping it
 * off the job's thread lets the worker keep heartbeating its lease and noticing cancels;
 * cancelling terminates this thread.
 */
import { parentPort, workerData } from "node:worker_threads";
import { resolveEnvironment, type EnvironmentSource } from "../environment-sources/resolve";
import { synthesizeTasks } from "../synthesis/synthesize";
import type { SynthesisConfig } from "../synthesis/config";

export interface ThreadInput {
  source: EnvironmentSource | null;
  config: SynthesisConfig;
}

export type ThreadMessage =
  | { type: "progress"; cell: number; cells: number; built: number; requested: number }
  | { type: "done"; result: ReturnType<typeof synthesizeTasks> }
  | { type: "error"; message: string };

function main(): void {
  const port = parentPort;
  if (!port) throw new Error("thread.worker.ts must run in a worker thread");
  const input = (workerData as { input: ThreadInput }).input;
  try {
    const env = input.source ? resolveEnvironment(input.source) : null;
    const result = synthesizeTasks(input.config, {
      ...(env ? { state: env.state, stateSeed: env.stateSeed } : {}),
      onProgress: (p) => port.postMessage({ type: "progress", ...p } satisfies ThreadMessage),
    });
    port.postMessage({ type: "done", result } satisfies ThreadMessage);
  } catch (err) {
    port.postMessage({ type: "error", message: err instanceof Error ? err.message : String(err) } satisfies ThreadMessage);
  }
}

main();
