/**
 * Write an ExportStream to a file with back-pressure (wait for `drain`), in the same
 * cooperative slices as the HTTP download, so a worker's lease heartbeat and the CLI's
 * progress keep running. Used by the exports.create job and `writ export`.
 */
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { once } from "node:events";
import type { ExportStream } from "../experiments/export";
import { sliceExportChunks } from "./cooperative";

export interface WriteExportOptions {
  signal?: AbortSignal;
  /** Called at most every `progressEveryMs` while writing (awaited: it may write to the db). */
  onProgress?: (stats: ExportStream["stats"]) => void | Promise<void>;
  progressEveryMs?: number;
  /** Write to `<path>.part` and rename when complete, so a reader never sees half a file. */
  atomic?: boolean;
  /** File mode of a new file (exports hold rollouts: 0600 by default). */
  mode?: number;
}

export interface WrittenExport {
  bytes: number;
  rows: number;
  scanned: number;
}

export async function writeExportFile(stream: ExportStream, path: string, opts: WriteExportOptions = {}): Promise<WrittenExport> {
  const target = opts.atomic ? `${path}.part` : path;
  const out = createWriteStream(target, { mode: opts.mode ?? 0o600 });
  const every = opts.progressEveryMs ?? 250;
  let last = Date.now();
  try {
    for await (const chunk of sliceExportChunks(stream.chunks)) {
      opts.signal?.throwIfAborted();
      if (!out.write(chunk)) await once(out, "drain");
      if (opts.onProgress && Date.now() - last >= every) {
        last = Date.now();
        await opts.onProgress(stream.stats);
      }
    }
    out.end();
    await once(out, "finish");
    if (opts.atomic) await rename(target, path);
  } catch (err) {
    out.destroy();
    if (opts.atomic) await rm(target, { force: true });
    throw err;
  }
  return { bytes: out.bytesWritten, rows: stream.stats.rows, scanned: stream.stats.scanned };
}
