/**
 * Browser-level security of the server under test: security headers on pages and API
 * answers, pages that hydrate under the Content-Security-Policy without a single violation,
 * and cross-site request forgery from a page on another port of the same machine (same
 * site, other origin) that must not create anything.
 */
import { expect, test, type Page } from "@playwright/test";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** Records CSP violations from the first script the page runs (CDP init scripts are exempt from CSP). */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  const console: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(m.text())) console.push(m.text());
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${location.pathname} ${e.sourceFile}:${e.lineNumber}`));
  });
  return async () => [...console, ...(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations))];
}

let baseUrl = "";
test.beforeEach(({ baseURL }) => {
  baseUrl = baseURL ?? "";
});

test("pages and API answers carry the security headers", async ({ request }) => {
  for (const path of ["/", "/jobs", "/api/health"]) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(200);
    const h = res.headers();
    expect(h["content-security-policy"], path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(h["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(h["x-frame-options"], path).toBe("DENY");
    expect(h["x-content-type-options"], path).toBe("nosniff");
    expect(h["referrer-policy"], path).toBe("same-origin");
  }
  // A fresh nonce per response.
  const a = (await request.get("/jobs")).headers()["content-security-policy"];
  const b = (await request.get("/jobs")).headers()["content-security-policy"];
  expect(a).not.toBe(b);
});

test("pages hydrate under the CSP with no violations", async ({ page }) => {
  const violations = await watchCsp(page);
  for (const path of ["/", "/experiments", "/experiments/new", "/environment", "/jobs"]) {
    await page.goto(path);
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  }
  // A client component reacts to a click only once React has hydrated it.
  await page.goto("/tasks");
  const cell = page.getByLabel("Count for W=1, B=1", { exact: true });
  await page.getByRole("button", { name: "All 2" }).click();
  await expect(cell).toHaveValue("2");
  await page.getByRole("button", { name: "Clear" }).click();
  await expect(cell).toHaveValue("0");
  // Charts (recharts writes inline styles) on the demo experiment's workbench, when there is one.
  const list = (await (await page.request.get("/api/experiments?limit=1")).json()) as { experiments: { id: number }[] };
  if (list.experiments[0]) {
    await page.goto(`/experiments/${list.experiments[0].id}`);
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    await page.goto(`/experiments/${list.experiments[0].id}/calibrate`);
    await expect(page.getByTestId("workbench")).toBeVisible();
    await expect(page.locator("main svg").first()).toBeVisible();
  }
  expect(await violations()).toEqual([]);
});

test("the app refuses to render inside another site's frame", async ({ page }) => {
  const framer = await serveHtml(() => `<!doctype html><iframe name="app" src="${new URL("/jobs", baseUrl)}"></iframe>`);
  try {
    await page.goto(framer.url);
    await page.waitForLoadState("load");
    const frame = page.frame({ name: "app" });
    expect(frame).not.toBeNull();
    // Chromium replaces a refused frame with its error page: the app's navigation never appears.
    await expect(frame!.locator('nav[aria-label="Main"]')).toHaveCount(0);
    expect(frame!.url()).not.toBe(new URL("/jobs", baseUrl).toString());
  } finally {
    await framer.close();
  }
});

/** A page on another port of 127.0.0.1: the same site as the server under test, another origin. */
async function serveHtml(html: () => string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(html());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { url, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** A minimal synthesis request: if it got through it would create a task set and a job. */
const taskSetBody = (name: string) => ({ name, config: { grid: [{ writes: 1, evidence: 1, count: 1 }], behaviors: { cooperative: 1 }, seed: 5 } });

async function taskSetNames(page: Page): Promise<string[]> {
  const res = await page.request.get("/api/task-sets");
  return ((await res.json()) as { task_sets: { name: string }[] }).task_sets.map((s) => s.name);
}

test("a cross-origin page cannot create a job: no-cors text/plain fetch, text/plain form, urlencoded form", async ({ page }) => {
  const stamp = Date.now();
  const names = { fetch: `csrf-fetch-${stamp}`, form: `csrf-form-${stamp}`, urlencoded: `csrf-urlencoded-${stamp}` };
  const target = new URL("/api/task-sets", baseUrl).toString();
  // The text/plain form trick: name + value assemble a JSON document ("…pad":"=").
  const formJson = JSON.stringify({ ...taskSetBody(names.form), pad: "" }).slice(0, -2);
  const attacker = await serveHtml(
    () => `<!doctype html><body>
<form id="plain" method="post" enctype="text/plain" action="${target}" target="sink"><input type="hidden" name='${formJson.replace(/'/g, "&#39;")}' value='"}'></form>
<form id="urlenc" method="post" action="${target}" target="sink"><input type="hidden" name="name" value="${names.urlencoded}"></form>
<iframe name="sink"></iframe>
<script>
  window.fired = fetch(${JSON.stringify(target)}, { method: "POST", mode: "no-cors", credentials: "include", headers: { "content-type": "text/plain" }, body: ${JSON.stringify(JSON.stringify(taskSetBody(names.fetch)))} }).then(() => "sent", (e) => String(e));
</script></body>`,
  );
  try {
    await page.goto(attacker.url);
    expect(await page.evaluate(() => (window as unknown as { fired: Promise<string> }).fired)).toBe("sent");
    for (const id of ["plain", "urlenc"]) {
      const answered = page.waitForResponse((r) => r.url() === target && r.request().method() === "POST");
      await page.evaluate((formId) => (document.getElementById(formId) as HTMLFormElement).submit(), id);
      expect([403, 415]).toContain((await answered).status());
    }
  } finally {
    await attacker.close();
  }
  const after = await taskSetNames(page);
  for (const name of Object.values(names)) expect(after, name).not.toContain(name);

  // The same request from the app's own origin, as the UI sends it, goes through.
  await page.goto("/tasks");
  const legit = `csrf-control-${stamp}`;
  const status = await page.evaluate(
    async ({ body }) => (await fetch("/api/task-sets", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })).status,
    { body: taskSetBody(legit) },
  );
  expect(status).toBeLessThan(300);
  expect(await taskSetNames(page)).toContain(legit);
});

test("state-changing API calls without JSON get 415 naming the type; cross-origin browsers get 403", async ({ request }) => {
  const plain = await request.post("/api/views", { headers: { "content-type": "text/plain" }, data: JSON.stringify({ path: "/jobs" }) });
  expect(plain.status()).toBe(415);
  expect((await plain.json()).error).toMatchObject({ code: "unsupported_media_type", message: expect.stringContaining("application/json") });
  const foreign = await request.post("/api/views", { headers: { origin: "http://127.0.0.1:1" }, data: { path: "/jobs" } });
  expect(foreign.status()).toBe(403);
  expect((await foreign.json()).error.code).toBe("cross_origin_request");
  const ok = await request.post("/api/views", { headers: { origin: new URL(baseUrl).origin }, data: { path: "/jobs" } });
  expect(ok.status()).toBe(201);
});

test("a short link can only lead to a page of this site", async ({ request, page }) => {
  for (const path of ["/\\evil.example", "/\\/evil.example", "/.//evil.example", "/jobs/../\\evil.example"]) {
    const res = await request.post("/api/views", { data: { path } });
    expect(res.status(), path).toBe(400);
    expect((await res.json()).error.field, path).toBe("path");
  }
  const good = (await (await request.post("/api/views", { data: { path: "/jobs", state: { status: "failed" } } })).json()) as { url: string };
  await page.goto(good.url);
  await expect(page).toHaveURL(new URL("/jobs?status=failed", baseUrl).toString());
});

test("a body over the limit is a 413 naming the limit", async ({ request }) => {
  const big = JSON.stringify({ name: "x".repeat(11 * 1024 * 1024) });
  const res = await request.post("/api/views", { headers: { "content-type": "application/json" }, data: big });
  expect(res.status()).toBe(413);
  expect((await res.json()).error).toMatchObject({ code: "payload_too_large", message: expect.stringContaining("10 MB") });
  // Sent chunked (no Content-Length), far over the size Next.js hands a route once a proxy
  // exists: still a 413, not a body cut short and reported as broken JSON.
  const bytes = new TextEncoder().encode(JSON.stringify({ path: "/jobs", pad: "x".repeat(30 * 1024 * 1024) }));
  const chunked = await fetch(new URL("/api/views", baseUrl), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < bytes.length; i += 1024 * 1024) c.enqueue(bytes.subarray(i, i + 1024 * 1024));
        c.close();
      },
    }),
    duplex: "half",
  } as RequestInit);
  expect(chunked.status).toBe(413);
  expect(((await chunked.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
});
