/**
 * Runs the Python client's unittest suite (clients/python/tests, standard library only)
 * against a real HTTP server of the ingestion route on a temp database, with an access token
 * set, so `npm test` covers the client. The suite reads the database file to check what landed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { getDb } from "../db/server";
import { simulateStep } from "../lib/ingest/simulate";
import { clearIngestTaskCache } from "../lib/ingest/task-sets";
import { insertTaskSet, synthesizeSmall } from "./experiments-fixtures";
import { ROOT } from "./helpers";
import { startIngestServer, type IngestServer } from "./ingest-server";
import { appTempDb } from "./fixtures/app-db";

const TOKEN = "python-client-test-token";
let server: IngestServer;
const appDb = appTempDb("writ-py-client-", { caches: [clearIngestTaskCache], env: { WRIT_ACCESS_TOKEN: TOKEN } });

beforeAll(async () => {
  appDb.open();
  const tasks = synthesizeSmall([{ writes: 1, evidence: 1, count: 2 }, { writes: 2, evidence: 2, count: 2 }]);
  insertTaskSet(getDb(), "python-client-set", tasks);
  const groups = await simulateStep(tasks, 1, 2, 4);
  writeFileSync(join(appDb.dir, "groups.json"), JSON.stringify(groups));
  server = await startIngestServer();
});

afterAll(async () => {
  await server?.close();
  appDb.close();
});

function runPython(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    // Async spawn: the server answering the client lives in this process's event loop.
    const child = spawn("python3", args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

describe("Python client (clients/python)", () => {
  it("passes its unittest suite against a real server", async () => {
    const { code, output } = await runPython(["-m", "unittest", "discover", "-v", "clients/python/tests"], {
      PYTHONPATH: join(ROOT, "clients/python"),
      PYTHONDONTWRITEBYTECODE: "1",
      WRIT_TEST_URL: server.url,
      WRIT_TEST_DB: process.env.WRIT_DB!,
      WRIT_TEST_FIXTURES: join(appDb.dir, "groups.json"),
      WRIT_TEST_TASK_SET: "python-client-set",
      WRIT_TEST_TOKEN: TOKEN,
      WRIT_LAB_SPOOL_DIR: join(appDb.dir, "spool"),
    });
    if (code !== 0) console.error(output);
    // Both suites ran: the ingestion client (test_client.py) and reward serving (test_scoring.py).
    expect(output).toMatch(/test_client\./);
    expect(output).toMatch(/test_scoring\./);
    expect(output).not.toMatch(/skipped/);
    expect(output).toMatch(/Ran [1-9]\d* tests/);
    expect(code).toBe(0);
  }, 300_000);
});
