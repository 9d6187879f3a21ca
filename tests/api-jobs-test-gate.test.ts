/**
 * Demo/test jobs through POST /api/jobs (issue 20, item 8): refused unless
 * WRIT_ENABLE_TEST_JOBS=1, and a demo.sleep longer than 10 minutes in all is a 400 naming
 * the field even when they are allowed.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resetDb, getDb } from "../db/server";
import { jobs } from "../db/schema";
import { resetEnvCache } from "../lib/settings";
import { enqueueJob } from "../lib/jobs/store/enqueue";
import * as jobsRoute from "../app/api/jobs/route";

vi.mock("next/server", () => ({ connection: async () => {} }));

let dir: string;
const saved = { db: process.env.WRIT_DB, flag: process.env.WRIT_ENABLE_TEST_JOBS };
function setFlag(value: string | undefined) {
  if (value === undefined) delete process.env.WRIT_ENABLE_TEST_JOBS;
  else process.env.WRIT_ENABLE_TEST_JOBS = value;
  resetEnvCache();
}
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "writ-api-gate-"));
  process.env.WRIT_DB = join(dir, "writ.db");
  resetDb();
});
afterAll(() => {
  resetDb();
  process.env.WRIT_DB = saved.db;
  setFlag(saved.flag);
  rmSync(dir, { recursive: true, force: true });
});

const post = async (body: unknown) => {
  const res = await jobsRoute.POST(new Request("http://x/api/jobs", { method: "POST", body: JSON.stringify(body) }));
  return { status: res.status, body: await res.json() };
};

describe("demo jobs from the API", () => {
  it("are refused (400 on name) and not listed when WRIT_ENABLE_TEST_JOBS is unset", async () => {
    setFlag(undefined);
    for (const name of ["demo.sleep", "demo.noop", "demo.fail"]) {
      const res = await post({ name, payload: name === "demo.sleep" ? { steps: 1, stepMs: 1 } : name === "demo.fail" ? { retryable: false } : {} });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ field: "name" });
    }
    expect(getDb().select().from(jobs).all()).toHaveLength(0);
    const list = await (await jobsRoute.GET(new Request("http://x/api/jobs"))).json();
    expect(list.jobTypes.filter((n: string) => n.startsWith("demo."))).toEqual([]);
  });

  it("are accepted with WRIT_ENABLE_TEST_JOBS=1", async () => {
    setFlag("1");
    const res = await post({ name: "demo.sleep", payload: { steps: 2, stepMs: 10 } });
    expect(res.status).toBe(201);
    const list = await (await jobsRoute.GET(new Request("http://x/api/jobs"))).json();
    expect(list.jobTypes).toContain("demo.sleep");
  });

  it("demo.sleep is bounded to 10 minutes in all (the old limits allowed ~7 days)", async () => {
    setFlag("1");
    const res = await post({ name: "demo.sleep", payload: { steps: 10_000, stepMs: 60_000 } });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toMatch(/stepMs/);
    expect((await post({ name: "demo.sleep", payload: { steps: 600, stepMs: 1_001 } })).status).toBe(400);
    expect((await post({ name: "demo.sleep", payload: { steps: 600, stepMs: 1_000 } })).status).toBe(201);
    // The bound is the job's, not only the route's: internal enqueues are held to it too.
    expect(() => enqueueJob(getDb(), "demo.sleep", { steps: 10_000, stepMs: 60_000 })).toThrow(/stepMs/);
  });
});
