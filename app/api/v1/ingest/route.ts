/**
 * POST /api/v1/ingest — training runs stream in (contract: docs/training-integration.md §6,
 * README "Ingestion API"). Body `{"batch": [event…]}` up to 4 MB (413 beyond, naming the limit);
 * the answer is 207 `{successes: [{id, status}], errors: [{id, status, message, field}]}`, sent
 * once the batch is committed. The access token applies (proxy.ts). Everything happens in
 * lib/ingest (on two threads when there are two cores: lib/ingest/store/thread.ts).
 */
import { getDb } from "@/db/server";
import { handleRoute, json, parseInput, readJsonBody } from "@/lib/http/respond";
import { envelopeSchema, MAX_INGEST_BYTES } from "@/lib/ingest/events";
import { ingestEvents } from "@/lib/ingest/store/thread";

export async function POST(req: Request) {
  return handleRoute(async () => {
    const { batch } = parseInput(envelopeSchema, await readJsonBody(req, { maxBytes: MAX_INGEST_BYTES }));
    const { successes, errors } = await ingestEvents(getDb(), batch);
    return json({ successes, errors }, 207);
  });
}
