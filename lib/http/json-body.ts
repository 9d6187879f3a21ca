/**
 * Reading a JSON request body under a size limit. A body over the limit is a 413 naming
 * the limit, found from `Content-Length` before anything is read and, for bodies sent
 * without a length (chunked), by counting bytes while reading: the read stops at the limit,
 * so an oversized upload never sits in memory whole.
 *
 * Why the ceiling: Next.js hands a route only the first `proxyClientMaxBodySize` bytes of a
 * body once a proxy.ts exists, silently. next.config.ts sets that clone size above
 * MAX_JSON_BODY_BYTES, so a truncated body is always longer than any route's limit and is
 * reported as too large, never as broken JSON.
 */
import { PayloadTooLargeError } from "../errors/app-error";

const MB = 1024 * 1024;

/** What a route accepts unless it asks for less (e.g. the ingestion API's 4 MB). */
export const DEFAULT_JSON_BODY_BYTES = 10 * MB;
/** The most any route may accept (see the header: tied to next.config.ts's proxy clone size). */
export const MAX_JSON_BODY_BYTES = 10 * MB;
/** next.config.ts `experimental.proxyClientMaxBodySize`: the ceiling plus room for one read chunk. */
export const PROXY_BODY_CLONE_BYTES = MAX_JSON_BODY_BYTES + 2 * MB;

export interface JsonBodyOptions {
  /** Largest accepted body in bytes (capped at MAX_JSON_BODY_BYTES). */
  maxBytes?: number;
}

export function jsonBodyLimit(options: JsonBodyOptions = {}): number {
  return Math.min(options.maxBytes ?? DEFAULT_JSON_BODY_BYTES, MAX_JSON_BODY_BYTES);
}

/** The declared Content-Length, or undefined when absent or not a plain number. */
export function declaredLength(headers: Headers): number | undefined {
  const raw = headers.get("content-length")?.trim();
  return raw && /^\d+$/.test(raw) ? Number(raw) : undefined;
}

/** The body's bytes, or a PayloadTooLargeError as soon as more than `limit` arrive. */
export async function readBodyBytes(req: Request, limit: number): Promise<Uint8Array> {
  const declared = declaredLength(req.headers);
  if (declared !== undefined && declared > limit) throw new PayloadTooLargeError(limit);
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw new PayloadTooLargeError(limit);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/** Request body as JSON; an empty body reads as {}. Malformed JSON throws a SyntaxError (mapped to 400 invalid_json). */
export async function readJsonBody(req: Request, options: JsonBodyOptions = {}): Promise<unknown> {
  const text = new TextDecoder().decode(await readBodyBytes(req, jsonBodyLimit(options)));
  if (!text.trim()) return {};
  return JSON.parse(text);
}
