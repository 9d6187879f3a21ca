/**
 * A local chat.completions server for tests and benches (node:http on 127.0.0.1,
 * random port). Replies come from a queue (one per request, in order), else from a
 * handler function, else a plain "ok" text reply. Every request is recorded
 * (headers, parsed body) so tests can assert what the client sent.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface StubRequest {
  index: number;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body (undefined for GET or unparsable bodies). */
  body: StubChatBody | undefined;
  rawBody: string;
}

export interface StubChatBody {
  model?: string;
  messages?: Record<string, unknown>[];
  tools?: { type: string; function: { name: string } }[];
  tool_choice?: unknown;
  temperature?: number;
  [key: string]: unknown;
}

export interface StubReply {
  status?: number;
  /** JSON body; `text` wins when both are set. */
  body?: unknown;
  text?: string;
  headers?: Record<string, string>;
  /** Extra wait before answering (on top of the server-wide latency, both counted from the request's arrival). */
  delayMs?: number;
}

export type StubHandler = (req: StubRequest) => StubReply | Promise<StubReply>;

export interface StubServer {
  /** Base URL to give the SDK, ending in /v1. */
  baseURL: string;
  port: number;
  requests: StubRequest[];
  enqueue(...replies: StubReply[]): void;
  setHandler(handler: StubHandler | undefined): void;
  setLatency(ms: number): void;
  /** Requests the client gave up on (the socket closed before the reply). */
  abandoned(): number;
  close(): Promise<void>;
}

// ---- reply builders ------------------------------------------------------------

export interface StubToolCall {
  id?: string;
  name: string;
  /** An object is JSON-encoded; a string is sent verbatim (use it for malformed arguments). */
  arguments: Record<string, unknown> | string;
}

let completionCounter = 0;

export function completionBody(opts: {
  content?: string | null;
  toolCalls?: StubToolCall[];
  finishReason?: string;
  usage?: Record<string, unknown> | null;
  model?: string;
  messageExtra?: Record<string, unknown>;
}): Record<string, unknown> {
  const toolCalls = opts.toolCalls?.map((c, i) => ({
    id: c.id ?? `call_stub_${i}`,
    type: "function",
    function: { name: c.name, arguments: typeof c.arguments === "string" ? c.arguments : JSON.stringify(c.arguments) },
  }));
  return {
    id: `chatcmpl-stub-${++completionCounter}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: opts.model ?? "stub-model",
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: opts.content === undefined ? (toolCalls ? null : "ok") : opts.content,
          refusal: null,
          ...(toolCalls ? { tool_calls: toolCalls } : {}),
          ...opts.messageExtra,
        },
        finish_reason: opts.finishReason ?? (toolCalls ? "tool_calls" : "stop"),
        logprobs: null,
      },
    ],
    ...(opts.usage === null ? {} : { usage: opts.usage ?? { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 } }),
  };
}

export const reply = {
  text: (content: string, extra: Partial<StubReply> = {}): StubReply => ({ body: completionBody({ content }), ...extra }),
  toolCalls: (calls: StubToolCall[], extra: Partial<StubReply> = {}): StubReply => ({ body: completionBody({ toolCalls: calls }), ...extra }),
  error: (status: number, message = `stub error ${status}`, headers?: Record<string, string>): StubReply => ({
    status,
    body: { error: { message, type: status === 429 ? "rate_limit_error" : "server_error", code: null } },
    headers,
  }),
};

// ---- server ----------------------------------------------------------------------

export async function startStubServer(opts: { latencyMs?: number; handler?: StubHandler } = {}): Promise<StubServer> {
  const requests: StubRequest[] = [];
  const queue: StubReply[] = [];
  let handler = opts.handler;
  let latencyMs = opts.latencyMs ?? 0;
  let abandoned = 0;

  const server: Server = createServer((req, res) => {
    // Latency counts from the request's arrival, like a real server's response time,
    // so the stub's own body parsing does not inflate it.
    const arrivedAt = performance.now();
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      let body: StubChatBody | undefined;
      try {
        body = rawBody ? (JSON.parse(rawBody) as StubChatBody) : undefined;
      } catch {
        body = undefined;
      }
      const record: StubRequest = { index: requests.length, method: req.method ?? "", path: req.url ?? "", headers: req.headers, body, rawBody };
      requests.push(record);
      void answer(record);
    });
    let closed = false;
    res.on("close", () => {
      if (!res.writableEnded) {
        closed = true;
        abandoned++;
      }
    });

    async function answer(record: StubRequest): Promise<void> {
      let r: StubReply;
      if (record.method === "GET" && record.path.endsWith("/models")) {
        r = { body: { object: "list", data: [{ id: "stub-model", object: "model", created: 0, owned_by: "stub" }] } };
      } else if (queue.length > 0) r = queue.shift()!;
      else if (handler) r = await handler(record);
      else r = reply.text("ok");
      const wait = latencyMs + (r.delayMs ?? 0) - (performance.now() - arrivedAt);
      if (wait > 0) await new Promise((ok) => setTimeout(ok, wait));
      if (closed || res.destroyed) return;
      const payload = r.text ?? JSON.stringify(r.body ?? {});
      res.writeHead(r.status ?? 200, { "content-type": r.text !== undefined ? "text/plain" : "application/json", ...r.headers });
      res.end(payload);
    }
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const port = (server.address() as AddressInfo).port;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    enqueue: (...replies) => queue.push(...replies),
    setHandler: (h) => {
      handler = h;
    },
    setLatency: (ms) => {
      latencyMs = ms;
    },
    abandoned: () => abandoned,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
