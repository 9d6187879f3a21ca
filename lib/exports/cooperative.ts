/**
 * An export's synchronous chunk generator (lib/experiments/export.ts reads SQLite with
 * better-sqlite3, which blocks) made safe to run on a thread that also serves requests:
 * chunks are batched into ~64 KiB strings, and after every `sliceMs` of work the generator
 * yields to the event loop (setImmediate), so a health check or a page request waits at most
 * one slice. The consumer pulls: when it stops reading (a slow client, a full disk), no more
 * rows are read, so memory stays at one batch plus one page of rollouts.
 */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface SliceOptions {
  /** Longest stretch of synchronous work between two yields to the event loop. */
  sliceMs?: number;
  /** Characters per emitted chunk. */
  batchChars?: number;
}

export const DEFAULT_SLICE_MS = 20;
const DEFAULT_BATCH_CHARS = 64 * 1024;

export async function* sliceExportChunks(chunks: Iterable<string>, opts: SliceOptions = {}): AsyncGenerator<string, void, undefined> {
  const sliceMs = opts.sliceMs ?? DEFAULT_SLICE_MS;
  const batchChars = opts.batchChars ?? DEFAULT_BATCH_CHARS;
  const it = chunks[Symbol.iterator]();
  let finished = false;
  try {
    let buf = "";
    let sliceStart = performance.now();
    for (;;) {
      const next = it.next();
      if (next.done) {
        finished = true;
        break;
      }
      buf += next.value;
      if (buf.length >= batchChars) {
        yield buf;
        buf = "";
      }
      if (performance.now() - sliceStart >= sliceMs) {
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    }
    if (buf) yield buf;
  } finally {
    // A cancelled download closes the generator (and its db reads) early.
    if (!finished) it.return?.();
  }
}
