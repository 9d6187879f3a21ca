/**
 * WRIT_ACCESS_TOKEN: a second production server (same build, same database) started with a
 * token. Without it every API route answers 401 and every page redirects to the sign-in
 * form; the bearer token (CLI) and the sign-in cookie (browser) both open the door.
 */
import { expect, test } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { createServer as createHttpServer } from "node:http";
import { join } from "node:path";

const TOKEN = "e2e-team-token";
let server: ChildProcess | undefined;
let base = "";

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

test.beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(join("node_modules", ".bin", "next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
    env: { ...process.env, WRIT_DB: process.env.E2E_DB, WRIT_ACCESS_TOKEN: TOKEN, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: "ignore",
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const res = await fetch(`${base}/api/health`, { headers: { authorization: `Bearer ${TOKEN}` } });
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error("protected server did not start");
    await new Promise((r) => setTimeout(r, 250));
  }
});

test.afterAll(() => {
  server?.kill("SIGTERM");
});

const API_ROUTES: [string, string][] = [
  ["GET", "/api/health"],
  ["GET", "/api/jobs"],
  ["POST", "/api/jobs"],
  ["GET", "/api/jobs/1"],
  ["POST", "/api/jobs/1/cancel"],
  ["POST", "/api/jobs/1/retry"],
  ["GET", "/api/experiments"],
  ["POST", "/api/experiments"],
  ["GET", "/api/experiments/1"],
  ["POST", "/api/experiments/1/cancel"],
  ["POST", "/api/experiments/1/analysis"],
  ["GET", "/api/experiments/1/analysis/turns"],
  ["GET", "/api/experiments/1/overview"],
  ["GET", "/api/experiments/1/groups"],
  ["GET", "/api/experiments/1/export?format=jsonl"],
  ["GET", "/api/groups/g-1"],
  ["GET", "/api/rollouts/r-1"],
  ["GET", "/api/task-sets"],
  ["POST", "/api/task-sets"],
  ["GET", "/api/task-sets/1"],
  ["GET", "/api/task-sets/1/tasks"],
  ["GET", "/api/task-sets/1/export"],
  ["GET", "/api/tasks/1"],
  ["GET", "/api/environments"],
  ["GET", "/api/environments/1/users"],
  ["GET", "/api/reward-configs"],
  ["POST", "/api/reward-configs"],
  ["GET", "/api/reward-configs/1"],
  ["GET", "/api/reward-configs/diff?a=1&b=2"],
  ["POST", "/api/reward-configs/1/evaluate"],
  ["GET", "/api/endpoints"],
  ["POST", "/api/endpoints"],
  ["DELETE", "/api/endpoints/1"],
  ["POST", "/api/endpoints/test"],
  ["POST", "/api/views"],
  ["GET", "/api/views/abc"],
  ["GET", "/api/overview"],
];

const PAGES = ["/", "/experiments", "/experiments/new", "/experiments/1", "/experiments/1/calibrate", "/tasks", "/environment", "/jobs", "/v/abc"];

test("every API route needs the token", async () => {
  for (const [method, path] of API_ROUTES) {
    const res = await fetch(base + path, { method, redirect: "manual", headers: { "content-type": "application/json" }, body: method === "GET" || method === "DELETE" ? undefined : "{}" });
    expect(res.status, `${method} ${path}`).toBe(401);
    expect((await res.json()).error.code).toBe("unauthorized");
  }
  const wrong = await fetch(`${base}/api/experiments`, { headers: { authorization: "Bearer nope" } });
  expect(wrong.status).toBe(401);
  const ok = await fetch(`${base}/api/experiments`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(ok.status).toBe(200);
});

test("every page redirects to sign-in", async () => {
  for (const path of PAGES) {
    const res = await fetch(base + path, { redirect: "manual" });
    expect([307, 308], path).toContain(res.status);
    expect(res.headers.get("location"), path).toContain(`/signin?next=${encodeURIComponent(path)}`);
  }
});

test("signing in with the token opens the app in the browser", async ({ page }) => {
  await page.goto(`${base}/jobs`);
  await expect(page).toHaveURL(/\/signin\?next=%2Fjobs/);
  await page.getByLabel("Access token").fill("wrong");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("That token is not valid.")).toBeVisible();
  await page.getByLabel("Access token").fill(TOKEN);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${base}/jobs`);
  const cookies = await page.context().cookies();
  expect(cookies.find((c) => c.name === "writ_session")?.value).not.toContain(TOKEN);
  const api = await page.request.get(`${base}/api/health`);
  expect(api.status()).toBe(200);
});

test("the CLI sends the token as a bearer token", async () => {
  const { spawnSync } = await import("node:child_process");
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, ["--import", "tsx", "bin/writ.ts", "health", "--server", base], { env: { ...process.env, ...env }, encoding: "utf8" });
  const ok = run({ WRIT_ACCESS_TOKEN: TOKEN });
  expect(ok.status).toBe(0);
  expect(JSON.parse(ok.stdout).ok).toBe(true);
  const denied = run({ WRIT_ACCESS_TOKEN: "" });
  expect(denied.status).toBe(2);
  expect(denied.stderr).toContain("WRIT_ACCESS_TOKEN");
});

/** Signs the page's browser context in through the form. */
async function signIn(page: import("@playwright/test").Page) {
  await page.goto(`${base}/signin`);
  await page.getByLabel("Access token").fill(TOKEN);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${base}/`);
}

test("a hostile next never takes a real sign-in off this origin", async ({ page }) => {
  const hostile = ["/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/\\evil.example", "/.//evil.example", "//evil.example"];
  for (const next of hostile) {
    await page.context().clearCookies();
    // Through the link an attacker would send…
    await page.goto(`${base}/signin?next=${encodeURIComponent(next)}`);
    await page.getByLabel("Access token").fill(TOKEN);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((u) => !u.pathname.startsWith("/signin") || u.origin !== base);
    expect(new URL(page.url()).origin, JSON.stringify(next)).toBe(base);
    // …and with the form's hidden field forced to it, so the handler's own check is what holds.
    await page.context().clearCookies();
    await page.goto(`${base}/signin`);
    await page.locator('input[name="next"]').evaluate((el, v) => ((el as HTMLInputElement).value = v), next);
    await page.getByLabel("Access token").fill(TOKEN);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((u) => !u.pathname.startsWith("/signin") || u.origin !== base);
    expect(new URL(page.url()).origin, JSON.stringify(next)).toBe(base);
  }
  const cookie = (await page.context().cookies()).find((c) => c.name === "writ_session");
  expect(cookie?.sameSite).toBe("Strict");
});

test("redirects never take their host from X-Forwarded-Host or Host", async () => {
  const res = await fetch(`${base}/experiments`, { redirect: "manual", headers: { "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" } });
  expect(res.status).toBe(307);
  expect(res.headers.get("location")).toBe("/signin?next=%2Fexperiments");
  const form = await fetch(`${base}/api/auth/signin`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base, "x-forwarded-host": "evil.example" },
    body: new URLSearchParams({ token: TOKEN, next: "/jobs" }).toString(),
  });
  expect(form.status).toBe(303);
  expect(form.headers.get("location")).toBe("/jobs");
});

test("a page on another port cannot act for a signed-in browser", async ({ page }) => {
  await signIn(page);
  const stamp = Date.now();
  const target = `${base}/api/task-sets`;
  const body = (name: string) => ({ name, config: { grid: [{ writes: 1, evidence: 1, count: 1 }], behaviors: { cooperative: 1 }, seed: 5 } });
  const formJson = JSON.stringify({ ...body(`csrf-form-${stamp}`), pad: "" }).slice(0, -2);
  // 127.0.0.1 on another port: the same site, so even a SameSite=Strict cookie is sent along.
  const attacker = createHttpServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end(`<!doctype html><form id="f" method="post" enctype="text/plain" action="${target}" target="sink"><input type="hidden" name='${formJson}' value='"}'></form><iframe name="sink"></iframe>
<script>window.fired = fetch(${JSON.stringify(target)}, { method: "POST", mode: "no-cors", credentials: "include", headers: { "content-type": "text/plain" }, body: ${JSON.stringify(JSON.stringify(body(`csrf-fetch-${stamp}`)))} }).then(() => "sent", (e) => String(e));</script>`);
  });
  await new Promise<void>((r) => attacker.listen(0, "127.0.0.1", r));
  try {
    await page.goto(`http://127.0.0.1:${(attacker.address() as { port: number }).port}/`);
    expect(await page.evaluate(() => (window as unknown as { fired: Promise<string> }).fired)).toBe("sent");
    const answered = page.waitForResponse((r) => r.url() === target && r.request().method() === "POST");
    await page.evaluate(() => (document.getElementById("f") as HTMLFormElement).submit());
    expect([403, 415]).toContain((await answered).status());
  } finally {
    await new Promise<void>((r) => attacker.close(() => r()));
  }
  const sessionCookie = (await page.context().cookies()).find((c) => c.name === "writ_session")!;
  const asBrowser = (origin: string) =>
    fetch(target, { method: "POST", headers: { "content-type": "application/json", cookie: `writ_session=${sessionCookie.value}`, origin }, body: JSON.stringify(body(`csrf-json-${stamp}`)) });
  expect((await asBrowser("http://127.0.0.1:1")).status).toBe(403);
  const names = async () =>
    ((await (await fetch(target, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { task_sets: { name: string }[] }).task_sets.map((s) => s.name);
  for (const name of [`csrf-form-${stamp}`, `csrf-fetch-${stamp}`, `csrf-json-${stamp}`]) expect(await names()).not.toContain(name);
  // The same cookie from this server's own origin, and a bearer client with no Origin, go through.
  expect((await asBrowser(base)).status).toBeLessThan(300);
  const bearer = await fetch(target, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(body(`bearer-${stamp}`)) });
  expect(bearer.status).toBeLessThan(300);
});
