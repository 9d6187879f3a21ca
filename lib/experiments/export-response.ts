/** An ExportStream as a streamed HTTP download (pulls the next chunk only when the client reads). */
import type { ExportStream } from "./export";

export function exportStreamResponse(stream: ExportStream): Response {
  const it = stream.chunks[Symbol.iterator]();
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      // Batch small chunks so a 100k-line export is not 100k enqueues.
      let buf = "";
      for (;;) {
        const next = it.next();
        if (next.done) {
          if (buf) controller.enqueue(encoder.encode(buf));
          controller.close();
          return;
        }
        buf += next.value;
        if (buf.length >= 64 * 1024) break;
      }
      controller.enqueue(encoder.encode(buf));
    },
    cancel() {
      it.return?.();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": `${stream.contentType}; charset=utf-8`,
      "content-disposition": `attachment; filename="${stream.filename}"`,
      "cache-control": "no-store",
    },
  });
}
