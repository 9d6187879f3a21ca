/**
 * Start job-thread.ts in a worker thread and turn it into a promise: progress callbacks,
 * the result, and termination on abort (the synthesizer is synchronous, so a thread is the
 * only way to stop it mid-way and keep the job's event loop free for lease heartbeats).
 * The thread loads TypeScript through tsx, as every process of this project does.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { SynthesisReport } from "./synthesize";
import type { Task } from "../types/task";
import type { ThreadInput, ThreadMessage } from "./job-thread";

export interface SynthesisProgressEvent {
  cell: number;
  cells: number;
  built: number;
  requested: number;
}

function threadFile(): string {
  // Next.js bundles move __dirname; the worker process (the only caller) runs from source.
  const here = typeof __dirname === "string" ? join(__dirname, "job-thread.ts") : undefined;
  if (here && existsSync(here)) return here;
  return join(/*turbopackIgnore: true*/ process.cwd(), "lib", "synthesis", "job-thread.ts");
}

export function runSynthesisThread(
  input: ThreadInput,
  opts: { signal?: AbortSignal; onProgress?: (p: SynthesisProgressEvent) => void } = {},
): Promise<{ tasks: Task[]; report: SynthesisReport }> {
  const file = threadFile();
  const tsx = createRequire(file).resolve("tsx/cjs");
  const boot = `require(${JSON.stringify(tsx)}); require(${JSON.stringify(file)});`;
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(opts.signal.reason);
    const worker = new Worker(boot, { eval: true, workerData: { input } });
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
