/**
 * WRIT_ACCESS_TOKEN: a second production server (same build, same database) started with a
 * token. Without it every API route answers 401 and every page redirects to the sign-in
 * form; the bearer token (CLI) and the sign-in cookie (browser) both open the door.
 */
import { expect, test } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
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
