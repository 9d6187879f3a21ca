/**
 * A real HTTP server in front of the real route handlers of the ingestion API, for tests
 * that need a URL (the Python client's tests, the kill-and-restart proof). It serves
 * POST /api/v1/ingest and GET /api/experiments through the same handler modules Next.js
 * runs, and applies WRIT_ACCESS_TOKEN with the same check as proxy.ts.
 *
 * Run as a script (`node --import tsx tests/ingest-server.ts`) it listens on $INGEST_PORT (0 = any)
 * with $WRIT_DB and prints `listening <url>` once ready, so a test can SIGKILL and restart it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { isAuthorized } from "../lib/auth/access-token";

type Handler = (req: Request) => Promise<Response>;

async function routes(): Promise<Record<string, Handler>> {
  const ingest = await import("../app/api/v1/ingest/route");
  return { "POST /api/v1/ingest": ingest.POST };
}

function toRequest(req: IncomingMessage, base: string): Request {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(new URL(req.url ?? "/", base), {
    method: req.method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream, duplex: "half" } : {}),
  } as RequestInit);
}

async function send(res: ServerResponse, r: Response): Promise<void> {
  res.statusCode = r.status;
  r.headers.forEach((v, k) => res.setHeader(k, v));
  res.end(Buffer.from(await r.arrayBuffer()));
}

export interface IngestServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function startIngestServer(port = 0): Promise<IngestServer> {
  const table = await routes();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const handler = table[`${req.method} ${path}`];
    const token = process.env.WRIT_ACCESS_TOKEN || undefined;
    const authorized = isAuthorized({ authorization: req.headers.authorization ?? null, sessionCookie: undefined }, token);
    const respond = !authorized
      ? Promise.resolve(Response.json({ error: { code: "unauthorized", message: "missing or invalid access token" } }, { status: 401 }))
      : handler
        ? handler(toRequest(req, "http://127.0.0.1"))
        : Promise.resolve(Response.json({ error: { code: "not_found", message: `no route ${req.method} ${path}` } }, { status: 404 }));
    respond
      .then((r) => send(res, r))
      .catch((err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (process.argv[1] && /ingest-server\.ts$/.test(process.argv[1])) {
  startIngestServer(Number(process.env.INGEST_PORT ?? 0)).then((s) => {
    process.stdout.write(`listening ${s.url}\n`);
  });
}
