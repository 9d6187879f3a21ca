/**
 * Route handlers called directly over a temp database: the sign-in form handler (hostile
 * `next`, forged Host headers, the cookie's SameSite), short links (validated on save, and
 * a bad stored row redirects home), request bodies over the limit (413 naming the limit,
 * declared or streamed), and zod errors that always name the field, unions included.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { NextRequest } from "next/server";
import { getDb } from "../db/server";
import { savedViews } from "../db/schema";
import { readJsonBody } from "../lib/http/json-body";
import { sessionDigest } from "../lib/auth/access-token";
import * as signInRoute from "../app/api/auth/signin/route";
import * as viewsRoute from "../app/api/views/route";
import * as viewRoute from "../app/api/views/[id]/route";
import * as jobsRoute from "../app/api/jobs/route";
import * as endpointTestRoute from "../app/api/endpoints/test/route";
import ShortLinkPage from "../app/(saved-views)/v/[id]/page";
import { appTempDb } from "./fixtures/app-db";

// Outside Next.js there is no request scope; `connection()` only matters for prerendering.
vi.mock("next/server", async (importOriginal) => ({ ...(await importOriginal<typeof import("next/server")>()), connection: async () => {} }));

const TOKEN = "team-secret-token";
const appDb = appTempDb("writ-security-", { env: { WRIT_ACCESS_TOKEN: TOKEN } });

beforeAll(() => appDb.open());
afterAll(() => appDb.close());

const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string; field?: string } }).error;

describe("POST /api/auth/signin", () => {
  const signIn = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    signInRoute.POST(
      new NextRequest("http://localhost:3000/api/auth/signin", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", host: "127.0.0.1:3000", ...headers },
        body: new URLSearchParams(fields).toString(),
      }),
    );

  const hostile = ["/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "/\\evil.example", "/.//evil.example", "//evil.example", "https://evil.example/"];

  it.each(hostile)("a correct token with next=%j lands on this site", async (next) => {
    const res = await signIn({ token: TOKEN, next });
    expect(res.status).toBe(303);
    const location = res.headers.get("location")!;
    // Relative, and resolving it the way a browser does stays on the origin it posted to.
    expect(location.startsWith("/") && !location.startsWith("//")).toBe(true);
    expect(new URL(location, "http://127.0.0.1:3000/api/auth/signin").origin).toBe("http://127.0.0.1:3000");
    expect(location).toBe("/");
  });

  it("follows a same-site next, ignores forged Host / X-Forwarded-Host, sets a Strict session cookie", async () => {
    const res = await signIn({ token: TOKEN, next: "/experiments/2/calibrate?tier=soft" }, { host: "evil.example", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" });
    expect(res.headers.get("location")).toBe("/experiments/2/calibrate?tier=soft");
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toContain(`writ_session=${sessionDigest(TOKEN)}`);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).not.toContain(TOKEN + ";");
  });

  it("a wrong token goes back to the form, still carrying only a safe next", async () => {
    const res = await signIn({ token: "wrong-token", next: "/\t/evil.example" });
    expect(res.headers.get("location")).toBe("/signin?next=%2F&error=1");
    expect(res.headers.get("set-cookie")).toBeNull();
  });
});

describe("short links", () => {
  const create = (body: unknown) =>
    viewsRoute.POST(new Request("http://x/api/views", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }));

  it.each(["/\\evil.example", "/\\/evil.example", "/.//evil.example", "/jobs/..//evil.example", "/a/./b", "/tâches"])("refuses path %j with 400 naming path", async (path) => {
    const res = await create({ path });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).field).toBe("path");
  });

  it("stores a page path and /v/<id> redirects to it with its state", async () => {
    const res = await create({ path: "/experiments/3/calibrate", state: { tier: "soft", w: [1, 2] } });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect(await redirectOf(id)).toBe("/experiments/3/calibrate?tier=soft&w=1&w=2");
  });

  it("a bad row stored before validation redirects home, and the API reports the safe target", async () => {
    for (const [id, path] of [["badrow1", "/\\evil.example"], ["badrow2", "/\t/evil.example"], ["badrow3", "//evil.example"]]) {
      getDb().insert(savedViews).values({ id, path, state: {} }).run();
      expect(await redirectOf(id), path).toBe("/");
      const api = await viewRoute.GET(new Request(`http://x/api/views/${id}`), { params: Promise.resolve({ id }) });
      expect(((await api.json()) as { target: string }).target).toBe("/");
    }
  });
});

/** The path `redirect()` was asked for (Next.js throws a NEXT_REDIRECT error carrying it in its digest). */
async function redirectOf(id: string): Promise<string> {
  try {
    await ShortLinkPage({ params: Promise.resolve({ id }) });
  } catch (err) {
    const digest = (err as { digest?: string }).digest ?? "";
    const [kind, , url] = digest.split(";");
    if (kind === "NEXT_REDIRECT") return url;
    throw err;
  }
  throw new Error("no redirect");
}

describe("request bodies over the limit", () => {
  const MB = 1024 * 1024;
  const bigJson = (bytes: number) => JSON.stringify({ name: "demo.noop", payload: { pad: "x".repeat(bytes) } });

  it("a declared body over 10 MB is a 413 naming the limit, not 'not valid JSON'", async () => {
    const body = bigJson(10 * MB);
    const res = await jobsRoute.POST(new Request("http://x/api/jobs", { method: "POST", headers: { "content-length": String(body.length) }, body }));
    expect(res.status).toBe(413);
    expect(await errorOf(res)).toMatchObject({ code: "payload_too_large", field: "body", message: expect.stringContaining("10 MB") });
  });

  it("the limit holds for a streamed body without a length, and for routes behind readBody", async () => {
    const body = new TextEncoder().encode(bigJson(11 * MB));
    const streamed = () =>
      new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < body.length; i += 64 * 1024) c.enqueue(body.subarray(i, i + 64 * 1024));
          c.close();
        },
      });
    const init = () => ({ method: "POST", body: streamed(), duplex: "half" }) as RequestInit;
    const jobs = await jobsRoute.POST(new Request("http://x/api/jobs", init()));
    expect(jobs.status).toBe(413);
    const views = await viewsRoute.POST(new Request("http://x/api/views", init()));
    expect(views.status).toBe(413);
    expect((await errorOf(views)).message).toContain("10 MB");
  });

  it("a route can choose a smaller limit", async () => {
    const body = JSON.stringify({ pad: "x".repeat(5 * MB) });
    const read = readJsonBody(new Request("http://x", { method: "POST", body }), { maxBytes: 4 * MB });
    await expect(read).rejects.toMatchObject({ status: 413, message: expect.stringContaining("4 MB") });
    await expect(readJsonBody(new Request("http://x", { method: "POST", body }), { maxBytes: 6 * MB })).resolves.toMatchObject({ pad: expect.any(String) });
  });

  it("a body just under the limit is still read", async () => {
    const body = JSON.stringify({ name: "demo.noop", payload: {}, pad: "x".repeat(9 * MB) });
    const res = await jobsRoute.POST(new Request("http://x/api/jobs", { method: "POST", body }));
    expect(res.status).toBe(400); // read and parsed: the schema then refuses the unknown key
    expect((await errorOf(res)).code).toBe("invalid_request");
  });
});

describe("validation errors name the field", () => {
  it("POST /api/endpoints/test {endpoint_id: 'x'} names endpoint_id", async () => {
    const res = await endpointTestRoute.POST(new Request("http://x/api/endpoints/test", { method: "POST", body: JSON.stringify({ endpoint_id: "x" }) }));
    expect(res.status).toBe(400);
    expect((await errorOf(res)).field).toBe("endpoint_id");
  });

  it("malformed JSON names the body", async () => {
    const res = await jobsRoute.POST(new Request("http://x/api/jobs", { method: "POST", body: "{nope" }));
    expect(await errorOf(res)).toMatchObject({ code: "invalid_json", field: "body" });
  });
});
