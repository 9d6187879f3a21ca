/**
 * Start ./thread.worker.ts in a worker thread and turn it into a promise: progress callbacks,
 * the result, and termination on abort (the synthesizer is synchronous, so a thread is the
 * only way to stop it mid-way and keep the job's event loop free for lease heartbeats).
 * Only the worker process runs it (lib/threads/start-thread.ts loads the entry through tsx).
 */
import { startThread } from "../threads/start-thread";
import type { SynthesisReport } from "../synthesis/synthesize";
import type { Task } from "../types/task";
import type { ThreadInput, ThreadMessage } from "./thread.worker";

export interface SynthesisProgressEvent {
  cell: number;
  cells: number;
  built: number;
  requested: number;
}

export function runSynthesisThread(
  input: ThreadInput,
  opts: { signal?: AbortSignal; onProgress?: (p: SynthesisProgressEvent) => void } = {},
): Promise<{ tasks: Task[]; report: SynthesisReport }> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(opts.signal.reason);
    const worker = startThread(
      { source: () => new URL("./thread.worker.ts", import.meta.url), repoPath: "lib/synthesis-runs/thread.worker.ts" },
      { workerData: { input } },
    );
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener("abort", onAbort);
      fn();
    };
    const onAbort = () => {
      finish(() => reject(opts.signal?.reason));
      void worker.terminate();
    };
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    worker.on("message", (m: ThreadMessage) => {
      if (m.type === "progress") {
        if (!settled) opts.onProgress?.(m);
      } else if (m.type === "done") {
        finish(() => resolve(m.result));
        void worker.terminate();
      } else {
        finish(() => reject(new Error(m.message)));
        void worker.terminate();
      }
    });
    worker.on("error", (err) => finish(() => reject(err)));
    worker.on("exit", (code) => finish(() => reject(new Error(`synthesis thread exited early (code ${code})`))));
  });
}
