/**
 * The pooled fetch against a local server: what it sends, what it hands back, keep-alive
 * reuse, abort, compressed bodies, redirects (as fetch follows them) and a connection
 * dropped mid-body.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPooledFetch } from "./http-fetch";

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
let server: Server;
let base: string;
let handler: Handler = (_req, _body, res) => res.end("ok");
const ports: number[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    ports.push(req.socket.remotePort ?? 0);
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => handler(req, body, res));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("createPooledFetch", () => {
  it("posts a JSON body with its headers and hands back status, headers and body", async () => {
    const seen: { method?: string; headers?: IncomingMessage["headers"]; body?: string } = {};
    handler = (req, body, res) => {
      Object.assign(seen, { method: req.method, headers: req.headers, body });
      res.writeHead(201, { "content-type": "application/json", "x-request-id": "req_1" });
      res.end('\ufeff{"ok":true,"text":"é"}');
    };
    const f = createPooledFetch();
    const payload = JSON.stringify({ model: "m", messages: [{ role: "user", content: "héllo" }] });
    const res = await f(`${base}/v1/chat/completions`, {
      method: "post",
      headers: new Headers({ "Content-Type": "application/json", Authorization: "Bearer k" }),
      body: payload,
    });
    expect(seen.method).toBe("POST");
    expect(seen.body).toBe(payload);
    expect(seen.headers?.["content-length"]).toBe(String(Buffer.byteLength(payload)));
    expect(seen.headers?.authorization).toBe("Bearer k");
    expect(res.status).toBe(201);
    expect(res.ok).toBe(true);
    expect(res.headers.get("x-request-id")).toBe("req_1");
    expect(await res.json()).toEqual({ ok: true, text: "é" });
    expect(res.bodyUsed).toBe(true);
    await expect(res.text()).rejects.toThrow(TypeError);
  });

  it("reuses one keep-alive connection for sequential calls", async () => {
    handler = (_req, _body, res) => res.end("{}");
    const f = createPooledFetch();
    ports.length = 0;
    for (let i = 0; i < 5; i++) await (await f(`${base}/x`, { method: "POST", body: "{}" })).text();
    expect(new Set(ports).size).toBe(1);
  });

  it("null body for 204; error statuses are responses, not rejections", async () => {
    const f = createPooledFetch();
    handler = (_req, _body, res) => {
      res.statusCode = 204;
      res.end();
    };
    const r204 = await f(`${base}/x`);
    expect(r204.status).toBe(204);
    expect(r204.body).toBeNull();
    handler = (_req, _body, res) => {
      res.writeHead(429, { "retry-after": "2", "content-type": "application/json" });
      res.end('{"error":{"message":"slow down"}}');
    };
    const r429 = await f(`${base}/x`, { method: "POST", body: "{}" });
    expect(r429.ok).toBe(false);
    expect(r429.headers.get("retry-after")).toBe("2");
    expect(await r429.text()).toContain("slow down");
  });

  it("decodes a gzip body", async () => {
    handler = (_req, _body, res) => {
      res.writeHead(200, { "content-encoding": "gzip", "content-type": "application/json" });
      res.end(gzipSync('{"zipped":1}'));
    };
    expect(await (await createPooledFetch()(`${base}/x`)).json()).toEqual({ zipped: 1 });
  });

  it("rejects with an AbortError when the signal fires mid-request", async () => {
    handler = (_req, _body, res) => setTimeout(() => res.end("late"), 500);
    const ctl = new AbortController();
    const p = createPooledFetch()(`${base}/slow`, { method: "POST", body: "{}", signal: ctl.signal });
    setTimeout(() => ctl.abort(), 30);
    await expect(p).rejects.toMatchObject({ name: "AbortError" });
    const pre = new AbortController();
    pre.abort();
    await expect(createPooledFetch()(`${base}/x`, { signal: pre.signal })).rejects.toMatchObject({ name: "AbortError" });
  });

  it("rejects when the connection drops mid-body", async () => {
    handler = (_req, _body, res) => {
      res.writeHead(200, { "content-length": "100" });
      res.write("partial");
      setTimeout(() => res.socket?.destroy(), 10);
    };
    await expect(createPooledFetch()(`${base}/x`)).rejects.toBeInstanceOf(Error);
  });

  it("follows redirects like fetch: 307 keeps the POST and body, 303 becomes a GET", async () => {
    const seen: string[] = [];
    handler = (req, body, res) => {
      seen.push(`${req.method} ${req.url} ${body}`);
      if (req.url === "/a") res.writeHead(307, { location: "/b" }).end();
      else if (req.url === "/b") res.writeHead(303, { location: `${base}/c` }).end();
      else res.end("done");
    };
    const res = await createPooledFetch()(`${base}/a`, { method: "POST", body: "{\"x\":1}", headers: { "content-type": "application/json" } });
    expect(await res.text()).toBe("done");
    expect(res.url).toBe(`${base}/c`);
    expect(seen).toEqual(['POST /a {"x":1}', 'POST /b {"x":1}', "GET /c "]);
  });
});
