/**
 * The `fetch` our OpenAI clients use: node:http(s) on keep-alive agents, one per
 * endpoint origin, with the whole (small, JSON) response read before it is returned.
 *
 * Why not the global fetch: in Node 20 it is undici behind the WHATWG layer (request
 * and response streams, Headers copies, a wasm HTTP parser), ~1 ms of CPU per call.
 * A worker keeping 64 conversations in flight makes hundreds of calls a second, so that
 * overhead alone capped it well below C / latency. node:http with a pooled agent does
 * the same job at a fraction of the cost.
 *
 * Scope: what the SDK's non-streaming JSON calls need (string / bytes bodies, abort
 * signal, status / headers / body). Anything else (streams, FormData…) goes to the
 * global fetch unchanged. The SDK still owns timeouts (it aborts the signal), error
 * mapping and headers.
 */
import http from "node:http";
import https from "node:https";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";

/**
 * Idle connections kept per origin. In-flight requests are bounded by the endpoint
 * limiters (lib/agents/openai/limiter.ts), so the pool only has to keep that many warm;
 * this is well above any configured concurrency, so every socket is reused.
 */
const MAX_IDLE_SOCKETS = 1024;

type FetchFn = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Statuses whose Response must have a null body. */
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

function abortError(signal: AbortSignal | undefined): unknown {
  // What fetch rejects with: the signal's reason, or an AbortError DOMException.
  return signal?.reason ?? new DOMException("This operation was aborted", "AbortError");
}

function headerRecord(headers: RequestInit["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  const iterable = headers instanceof Headers || Array.isArray(headers) ? headers : Object.entries(headers);
  for (const [k, v] of iterable as Iterable<[string, string]>) out[k.toLowerCase()] = v;
  return out;
}

function decode(body: Buffer<ArrayBuffer>, encoding: string | undefined): Buffer<ArrayBuffer> {
  switch (encoding?.trim().toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return gunzipSync(body);
    case "deflate":
      return inflateSync(body);
    case "br":
      return brotliDecompressSync(body);
    default:
      return body;
  }
}

/**
 * The Response the SDK gets: the body is already in memory, so text() / json() decode it
 * directly. (undici's Response wraps even an in-memory body in a WHATWG stream and reads
 * it back through it, which cost about as much as the HTTP exchange itself.) `body`, for
 * callers that want a stream (the SDK only cancels it on error paths), is made on demand.
 */
class BufferedResponse implements Response {
  readonly ok: boolean;
  readonly redirected = false;
  readonly type: ResponseType = "basic";
  private used = false;

  constructor(
    private readonly data: Uint8Array<ArrayBuffer> | null,
    readonly status: number,
    readonly statusText: string,
    readonly headers: Headers,
    readonly url: string,
  ) {
    this.ok = status >= 200 && status <= 299;
  }

  get bodyUsed(): boolean {
    return this.used;
  }

  get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    if (this.data === null) return null;
    const bytes = this.take();
    return new ReadableStream<Uint8Array<ArrayBuffer>>({
      start(controller) {
        if (bytes.byteLength > 0) controller.enqueue(bytes);
        controller.close();
      },
    });
  }

  private take(): Uint8Array<ArrayBuffer> {
    if (this.used) throw new TypeError("Body is unusable: Body has already been read");
    this.used = true;
    return this.data ?? new Uint8Array(0);
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const b = this.take();
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  }
  /** UTF-8 decode as fetch does it (a leading BOM is dropped). */
  async text(): Promise<string> {
    const b = this.take();
    const bom = b.byteLength >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
    return Buffer.from(b.buffer, b.byteOffset + bom, b.byteLength - bom).toString("utf8");
  }
  async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return new Uint8Array(await this.arrayBuffer());
  }
  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
  /** The SDK never asks for one; a JSON body is not form data, so fetch would reject too. */
  async formData(): Promise<FormData> {
    this.take();
    throw new TypeError("Response.formData: the body is not form data");
  }
  async blob(): Promise<Blob> {
    return new Blob([this.take()], { type: this.headers.get("content-type") ?? "" });
  }
  clone(): BufferedResponse {
    if (this.used) throw new TypeError("Response.clone: Body has already been consumed.");
    return new BufferedResponse(this.data, this.status, this.statusText, this.headers, this.url);
  }
}

/** fetch's redirect limit. */
const MAX_REDIRECTS = 20;
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);

interface Exchange {
  url: URL;
  method: string;
  headers: Record<string, string>;
  payload: string | Uint8Array | undefined;
}

/** A fetch bound to its own keep-alive agents (created lazily, one per protocol). */
export function createPooledFetch(): FetchFn {
  const agentOptions = { keepAlive: true, maxFreeSockets: MAX_IDLE_SOCKETS, scheduling: "lifo" as const };
  let httpAgent: http.Agent | undefined;
  let httpsAgent: https.Agent | undefined;

  /** One HTTP exchange; resolves with the whole response. */
  function exchange(x: Exchange, signal: AbortSignal | undefined): Promise<BufferedResponse> {
    const secure = x.url.protocol === "https:";
    const agent = secure ? (httpsAgent ??= new https.Agent(agentOptions)) : (httpAgent ??= new http.Agent(agentOptions));
    const headers = { ...x.headers };
    if (x.payload !== undefined) headers["content-length"] = String(typeof x.payload === "string" ? Buffer.byteLength(x.payload) : x.payload.byteLength);
    return new Promise<BufferedResponse>((resolve, reject) => {
      let settled = false;
      const settle = (ok: boolean, value: unknown) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener("abort", onAbort);
        if (ok) resolve(value as BufferedResponse);
        else reject(value);
      };
      const fail = (err: unknown) => settle(false, err);
      const req = (secure ? https : http).request(x.url, { method: x.method, headers, agent }, (res) => {
        const chunks: Buffer<ArrayBuffer>[] = [];
        res.on("data", (c: Buffer<ArrayBuffer>) => chunks.push(c));
        res.on("error", fail);
        // A connection dropped mid-body ends in "close" without "end" (a no-op once settled).
        res.on("close", () => {
          if (!res.complete) fail(new TypeError("terminated: the connection closed before the response was complete"));
        });
        res.on("end", () => {
          try {
            const status = res.statusCode ?? 0;
            const raw = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
            const bytes = decode(raw, res.headers["content-encoding"] as string | undefined);
            // Headers as received (undici's fetch also keeps content-encoding after decoding).
            const responseHeaders = new Headers();
            const h = res.rawHeaders;
            for (let i = 0; i + 1 < h.length; i += 2) responseHeaders.append(h[i], h[i + 1]);
            settle(true, new BufferedResponse(NULL_BODY_STATUS.has(status) ? null : bytes, status, res.statusMessage ?? "", responseHeaders, x.url.href));
          } catch (err) {
            fail(err);
          }
        });
      });
      const onAbort = () => {
        const err = abortError(signal);
        req.destroy(err instanceof Error ? err : undefined);
        fail(err);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      req.on("error", fail);
      req.end(x.payload);
    });
  }

  return async function pooledFetch(input, init = {}) {
    const body = init.body;
    const simpleBody = body === undefined || body === null || typeof body === "string" || body instanceof Uint8Array;
    if (!simpleBody || input instanceof Request) return fetch(input, init);
    let x: Exchange = {
      url: input instanceof URL ? input : new URL(input),
      method: (init.method ?? "GET").toUpperCase(),
      headers: headerRecord(init.headers),
      payload: body ?? undefined,
    };
    if (x.url.protocol !== "https:" && x.url.protocol !== "http:") return fetch(input, init);
    const signal = init.signal ?? undefined;
    for (let hops = 0; ; hops++) {
      if (signal?.aborted) throw abortError(signal);
      const res = await exchange(x, signal);
      const location = res.headers.get("location");
      if (!REDIRECT_STATUS.has(res.status) || location === null || (init.redirect ?? "follow") === "manual") return res;
      // Redirects as fetch follows them: 303 (and 301/302 after a POST) become a GET without
      // a body; credentials are not carried to another origin.
      if (init.redirect === "error" || hops >= MAX_REDIRECTS) throw new TypeError("fetch failed: redirect refused or too many redirects");
      const next = new URL(location, x.url);
      if (next.protocol !== "https:" && next.protocol !== "http:") throw new TypeError(`fetch failed: redirect to ${next.protocol}`);
      const toGet = res.status === 303 ? x.method !== "HEAD" : (res.status === 301 || res.status === 302) && x.method === "POST";
      const headers = { ...x.headers };
      if (toGet) for (const h of ["content-type", "content-length", "content-encoding", "content-language", "content-location"]) delete headers[h];
      if (next.origin !== x.url.origin) for (const h of ["authorization", "cookie", "proxy-authorization"]) delete headers[h];
      x = { url: next, method: toGet ? "GET" : x.method, headers, payload: toGet ? undefined : x.payload };
    }
  };
}
