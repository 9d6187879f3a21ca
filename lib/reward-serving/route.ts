/**
 * The route handlers' common part: read the body (refusing more than 4 MB from
 * Content-Length before reading), hand it to the scoring thread or serve it here, and turn
 * the answer into a Response. Kept free of Next.js imports like the rest of lib/.
 */
import { getDb } from "../../db/server";
import { errorToResponse } from "../http/respond";
import { MAX_BODY_BYTES, PayloadTooLargeError } from "./request";
import type { ServeOp } from "./serve";
import { serveScoring } from "./thread";

export async function handleScoringRoute(op: ServeOp, req: Request, params: Promise<{ iteration: string }>): Promise<Response> {
  try {
    const declared = Number(req.headers.get("content-length") ?? "NaN");
    if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw new PayloadTooLargeError(declared);
    const { iteration } = await params;
    const text = await req.text();
    const out = await serveScoring(getDb(), { op, iteration, search: new URL(req.url).search, ifNoneMatch: req.headers.get("if-none-match"), text });
    return new Response(out.body, { status: out.status, headers: out.headers });
  } catch (err) {
    return errorToResponse(err);
  }
}
