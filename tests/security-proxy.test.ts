/**
 * proxy.ts called directly with real NextRequests, as Next.js calls it before every route:
 * the CSRF guard (JSON only, Origin / Sec-Fetch-Site for browsers, bearer clients exempt),
 * security headers with a fresh CSP nonce handed on to the renderer, the body-size ceiling,
 * and redirects that never take their host from a request header.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { proxy } from "../proxy";
import { sessionDigest } from "../lib/auth/access-token";
import { EnvError, parseEnv, resetEnvCache } from "../lib/settings";

const TOKEN = "team-secret-token";
const SITE = "http://127.0.0.1:3000";
const saved = { token: process.env.WRIT_ACCESS_TOKEN, publicUrl: process.env.WRIT_PUBLIC_URL };

function setEnv(vars: { WRIT_ACCESS_TOKEN?: string; WRIT_PUBLIC_URL?: string }) {
  process.env.WRIT_ACCESS_TOKEN = vars.WRIT_ACCESS_TOKEN ?? "";
  process.env.WRIT_PUBLIC_URL = vars.WRIT_PUBLIC_URL ?? "";
  resetEnvCache();
}

beforeEach(() => setEnv({}));
afterEach(() => {
  process.env.WRIT_ACCESS_TOKEN = saved.token;
  process.env.WRIT_PUBLIC_URL = saved.publicUrl;
  resetEnvCache();
});

function req(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new NextRequest(new URL(path, SITE), {
    method: init.method ?? "GET",
    headers: { host: "127.0.0.1:3000", ...init.headers },
    body: init.body,
  });
}

/** NextResponse.next() marks "carry on to the route" with this header. */
const passedOn = (res: Response) => res.headers.get("x-middleware-next") === "1";
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

const JSON_HEADERS = { "content-type": "application/json" };
const cookie = () => ({ cookie: `writ_session=${sessionDigest(TOKEN)}` });

describe("CSRF: state-changing API calls must be JSON", () => {
  it.each([
    ["no-cors fetch (text/plain)", { "content-type": "text/plain;charset=UTF-8" }],
    ["form post (urlencoded)", { "content-type": "application/x-www-form-urlencoded" }],
    ["form post (multipart)", { "content-type": "multipart/form-data; boundary=x" }],
    ["no content type", {} as Record<string, string>],
  ])("refuses a %s with 415 naming application/json", async (_what, headers) => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      const res = proxy(req("/api/jobs", { method, headers, body: '{"name":"demo.noop","payload":{}}' }));
      expect(res.status, method).toBe(415);
      const err = await errorOf(res);
      expect(err.code).toBe("unsupported_media_type");
      expect(err.message).toContain("application/json");
    }
  });

  it("lets JSON (with a charset) and reads through", () => {
    expect(passedOn(proxy(req("/api/jobs", { method: "POST", headers: { "content-type": "application/json; charset=utf-8" }, body: "{}" })))).toBe(true);
    expect(passedOn(proxy(req("/api/jobs?limit=1")))).toBe(true);
    expect(passedOn(proxy(req("/jobs", { method: "POST", headers: { "content-type": "text/plain" }, body: "x" })))).toBe(true);
  });
});

describe("CSRF: browser requests must come from this origin", () => {
  it("refuses a foreign Origin, including another port of the same host (same site)", async () => {
    for (const origin of ["http://localhost:3298", "http://127.0.0.1:3298", "https://evil.example", "null"]) {
      const res = proxy(req("/api/task-sets", { method: "POST", headers: { ...JSON_HEADERS, origin }, body: "{}" }));
      expect(res.status, origin).toBe(403);
      expect((await errorOf(res)).code).toBe("cross_origin_request");
    }
  });

  it("refuses Sec-Fetch-Site other than same-origin when Origin is missing", () => {
    for (const site of ["same-site", "cross-site", "none"]) {
      expect(proxy(req("/api/jobs", { method: "POST", headers: { ...JSON_HEADERS, "sec-fetch-site": site }, body: "{}" })).status, site).toBe(403);
    }
    expect(passedOn(proxy(req("/api/jobs", { method: "POST", headers: { ...JSON_HEADERS, "sec-fetch-site": "same-origin" }, body: "{}" })))).toBe(true);
  });

  it("accepts the browser's own origin, by Host or by WRIT_PUBLIC_URL", () => {
    expect(passedOn(proxy(req("/api/jobs", { method: "POST", headers: { ...JSON_HEADERS, origin: SITE }, body: "{}" })))).toBe(true);
    setEnv({ WRIT_PUBLIC_URL: "https://lab.example.org/" });
    const behindProxy = req("/api/jobs", { method: "POST", headers: { ...JSON_HEADERS, origin: "https://lab.example.org", host: "127.0.0.1:3000" }, body: "{}" });
    expect(passedOn(proxy(behindProxy))).toBe(true);
    // X-Forwarded-Host is not a way in.
    const forged = req("/api/jobs", { method: "POST", headers: { ...JSON_HEADERS, origin: "https://evil.example", "x-forwarded-host": "evil.example" }, body: "{}" });
    expect(proxy(forged).status).toBe(403);
  });

  it("with a token: a cookie session needs the Origin check, a bearer client does not", async () => {
    setEnv({ WRIT_ACCESS_TOKEN: TOKEN });
    const cross = proxy(req("/api/task-sets", { method: "POST", headers: { ...JSON_HEADERS, ...cookie(), origin: "http://127.0.0.1:3298" }, body: "{}" }));
    expect(cross.status).toBe(403);
    const noOrigin = proxy(req("/api/task-sets", { method: "POST", headers: { ...JSON_HEADERS, ...cookie() }, body: "{}" }));
    expect(noOrigin.status).toBe(403);
    const same = proxy(req("/api/task-sets", { method: "POST", headers: { ...JSON_HEADERS, ...cookie(), origin: SITE }, body: "{}" }));
    expect(passedOn(same)).toBe(true);
    // A trainer or the CLI: bearer token, JSON, no Origin at all.
    const trainer = proxy(req("/api/v1/ingest", { method: "POST", headers: { ...JSON_HEADERS, authorization: `Bearer ${TOKEN}` }, body: "{}" }));
    expect(passedOn(trainer)).toBe(true);
    // Still JSON only, bearer or not.
    const bearerText = proxy(req("/api/v1/ingest", { method: "POST", headers: { "content-type": "text/plain", authorization: `Bearer ${TOKEN}` }, body: "{}" }));
    expect(bearerText.status).toBe(415);
    // No credentials at all is a 401 before anything else.
    expect(proxy(req("/api/task-sets", { method: "POST", headers: JSON_HEADERS, body: "{}" })).status).toBe(401);
  });

  it("the sign-in form handler takes a form, but only from this origin", () => {
    setEnv({ WRIT_ACCESS_TOKEN: TOKEN });
    const form = { "content-type": "application/x-www-form-urlencoded" };
    expect(passedOn(proxy(req("/api/auth/signin", { method: "POST", headers: { ...form, origin: SITE }, body: "token=x" })))).toBe(true);
    expect(proxy(req("/api/auth/signin", { method: "POST", headers: { ...form, origin: "http://127.0.0.1:3298" }, body: "token=x" })).status).toBe(403);
    expect(proxy(req("/api/auth/signin", { method: "POST", headers: { ...form, "sec-fetch-site": "cross-site" }, body: "token=x" })).status).toBe(403);
  });
});

describe("security headers", () => {
  it("every answer of the proxy carries them, pages get a fresh nonce handed to the renderer", () => {
    const answers = [
      proxy(req("/jobs")),
      proxy(req("/api/health")),
      proxy(req("/api/jobs", { method: "POST", headers: { "content-type": "text/plain" }, body: "x" })),
    ];
    setEnv({ WRIT_ACCESS_TOKEN: TOKEN });
    answers.push(proxy(req("/jobs")), proxy(req("/api/health")));
    for (const res of answers) {
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("same-origin");
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/]{22}==' 'strict-dynamic'/);
      expect(csp).toContain("style-src 'self' 'unsafe-inline'");
      expect(csp).not.toContain("'unsafe-inline' 'nonce"); // no inline-script hole
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    }
    const page = answers[0];
    const csp = page.headers.get("content-security-policy")!;
    // Next.js reads the nonce from the request's CSP header (overridden request headers).
    expect(page.headers.get("x-middleware-override-headers")).toContain("content-security-policy");
    expect(page.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
    expect(proxy(req("/jobs")).headers.get("content-security-policy")).not.toBe(csp);
  });

  it("only the development build may evaluate strings", () => {
    const env = process.env as Record<string, string | undefined>;
    const nodeEnv = env.NODE_ENV;
    try {
      env.NODE_ENV = "production";
      expect(proxy(req("/jobs")).headers.get("content-security-policy")).not.toContain("unsafe-eval");
      env.NODE_ENV = "development";
      expect(proxy(req("/jobs")).headers.get("content-security-policy")).toContain("'unsafe-eval'");
    } finally {
      env.NODE_ENV = nodeEnv;
    }
  });
});

describe("redirects never take their host from a request header", () => {
  it("the sign-in redirect stays on the server's own URL whatever Host / X-Forwarded-Host say", () => {
    setEnv({ WRIT_ACCESS_TOKEN: TOKEN });
    const res = proxy(req("/experiments?x=1", { headers: { host: "evil.example", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" } }));
    expect(res.status).toBe(307);
    // Next.js names 127.0.0.1 "localhost" in the proxy's URL and turns a Location on that
    // host into a relative one (checked against a real server in e2e/access-token.spec.ts).
    const location = new URL(res.headers.get("location")!);
    expect(location.host).toBe("localhost:3000");
    expect(location.pathname + location.search).toBe("/signin?next=%2Fexperiments%3Fx%3D1");
  });
});

describe("body size ceiling", () => {
  it("answers 413 naming the limit for a declared body over 10 MB, before any route reads it", async () => {
    const res = proxy(req("/api/jobs", { method: "POST", headers: { ...JSON_HEADERS, "content-length": String(10 * 1024 * 1024 + 1) } }));
    expect(res.status).toBe(413);
    const err = await errorOf(res);
    expect(err.code).toBe("payload_too_large");
    expect(err.message).toContain("10 MB");
  });
});

describe("WRIT_PUBLIC_URL", () => {
  it("is reduced to its origin, and anything but an http(s) URL stops the start", () => {
    expect(parseEnv({ WRIT_PUBLIC_URL: "https://lab.example.org/writ/" }).WRIT_PUBLIC_URL).toBe("https://lab.example.org");
    expect(parseEnv({ WRIT_PUBLIC_URL: "" }).WRIT_PUBLIC_URL).toBeUndefined();
    for (const bad of ["lab.example.org", "ftp://lab.example.org", "javascript:alert(1)"]) {
      expect(() => parseEnv({ WRIT_PUBLIC_URL: bad }), bad).toThrow(EnvError);
    }
  });
});
