/**
 * End-to-end tests against the production build, started the way users start it
 * (`npm start`) on a throwaway database and a free port, with one worker process.
 * The browser is Debian's Chromium (/usr/bin/chromium); Playwright never downloads one.
 */
import { defineConfig } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Computed once in the runner; test workers inherit the same values through the environment.
process.env.E2E_PORT ??= execFileSync(process.execPath, [
  "-e",
  "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})",
]).toString();
process.env.E2E_DB ??= join(mkdtempSync(join(tmpdir(), "writ-e2e-")), "writ.db");
const port = process.env.E2E_PORT;
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "e2e",
  globalTeardown: "./e2e/global-teardown.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: {
    command: "npm start",
    url: `${baseURL}/api/health`,
    // The first run may include `next build`.
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    env: {
      WRIT_DB: process.env.E2E_DB,
      PORT: port,
      WORKERS: "1",
      WRIT_WORKER_POLL_MS: "100",
      WRIT_ENABLE_TEST_JOBS: "1", // e2e/jobs.spec.ts enqueues demo jobs through the API
      WRIT_ACCESS_TOKEN: "",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});
