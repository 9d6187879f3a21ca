/**
 * An ExportStream as a streamed HTTP download. Pull-based with back-pressure: the next rows
 * are read only when the client has taken the previous batch, and the work is cut into
 * short slices between which other requests run (./cooperative.ts).
 */
import type { ExportStream } from "../experiments/export";
import { sliceExportChunks } from "./cooperative";

export function exportStreamResponse(stream: ExportStream, extraHeaders: Record<string, string> = {}): Response {
  const chunks = sliceExportChunks(stream.chunks);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      async cancel() {
        await chunks.return(undefined);
      },
    },
    // One batch queued ahead at most.
    { highWaterMark: 1 },
  );
  return new Response(body, {
    headers: {
      "content-type": `${stream.contentType}; charset=utf-8`,
      "content-disposition": `attachment; filename="${stream.filename}"`,
      "cache-control": "no-store",
      ...extraHeaders,
    },
  });
}
