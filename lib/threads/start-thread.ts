/**
 * The one way this project starts a worker thread on a `.worker.ts` entry; every starter
 * (ingest, scoring, analysis, rollout store, synthesis) calls `startThread`.
 *
 * - From source (worker processes, CLI, tests, scripts under tsx): a worker thread does not
 *   inherit its parent's loader, so the entry is required through tsx's CommonJS hook.
 * - Under the Next server (NEXT_RUNTIME is set), one of two ways:
 *   - `bundled`: a thread that loads no native module is bundled by Turbopack, which compiles
 *     the literal `new Worker(new URL("./x.worker.ts", import.meta.url))` form into a worker
 *     chunk. The starter writes that expression itself (the bundler must see it there) and
 *     passes it as `bundled` (the analysis thread).
 *   - else from source through tsx, found at `repoPath` under the working directory: a thread
 *     that opens SQLite cannot run bundled (the chunk has no `__dirname` for better-sqlite3's
 *     native binding), and the server runs from the repository (`npm start`). A moved entry
 *     must have its `repoPath` updated (tests/thread-entries.test.ts checks they exist).
 */
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";

export interface ThreadEntry {
  /** The entry next to its starter: `() => new URL("./x.worker.ts", import.meta.url)`. */
  source: () => URL;
  /** The same file from the repository root, e.g. "lib/ingest/store/thread.worker.ts" (Next server). */
  repoPath: string;
  /** Under Next.js only: the Turbopack-bundled worker (see above). */
  bundled?: () => Worker;
}

/** Worker options a starter may pass (the entry decides `eval`). */
export type ThreadOptions = Omit<WorkerOptions, "eval">;

/** Starts a worker thread on `entry` (see the header for how it is found). */
export function startThread(entry: ThreadEntry, options: ThreadOptions = {}): Worker {
  if (process.env.NEXT_RUNTIME) {
    if (entry.bundled) return entry.bundled();
    return fromSource(pathToFileURL(join(/*turbopackIgnore: true*/ process.cwd(), entry.repoPath)), options);
  }
  return fromSource(entry.source(), options);
}

function fromSource(entry: URL, options: ThreadOptions): Worker {
  const file = fileURLToPath(entry);
  return new Worker(`require("tsx/cjs"); require(${JSON.stringify(file)});`, { ...options, eval: true });
}
