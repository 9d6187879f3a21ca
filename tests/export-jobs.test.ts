/**
 * Export jobs (issue 20, item 7): POST /api/exports queues `exports.create`, a real worker
 * process writes the file next to the database with progress, GET /api/exports/:id shows
 * it, and GET /api/exports/:id/file serves exactly what the direct download serves.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { getDb, resetDb } from "../db/server";
import { resetEnvCache } from "../lib/settings";
import { clearCalibrationStore } from "../lib/calibration/experiment-data";
import { insertSyntheticExperiment } from "../lib/experiments/store/synthetic";
import type { PublicExport } from "../lib/exports/queries";
import * as exportRoute from "../app/api/experiments/[id]/export/route";
import * as exportsRoute from "../app/api/exports/route";
import * as exportJobRoute from "../app/api/exports/[id]/route";
import * as exportFileRoute from "../app/api/exports/[id]/file/route";
import { insertFixtureExperiment } from "./calibration-fixtures";
import { spawnWorker, stopWorkers, type SpawnedWorker } from "./helpers";
import { makeTempDir } from "./temp-dir";

vi.mock("next/server", () => ({ connection: async () => {} }));

const saved = { db: process.env.WRIT_DB };
let dbPath: string;
let calibrated: number;
let synthetic: { experimentId: number; rollouts: number };
const workers: SpawnedWorker[] = [];
const params = (id: number) => ({ params: Promise.resolve({ id: String(id) }) });

beforeAll(async () => {
  dbPath = join(makeTempDir("writ-export-jobs-"), "writ.db");
  process.env.WRIT_DB = dbPath;
  resetEnvCache();
  resetDb();
  clearCalibrationStore();
  calibrated = await insertFixtureExperiment(getDb(), "export jobs");
  synthetic = insertSyntheticExperiment(getDb(), { tasks: 300, groupSize: 8, messagesPerRollout: 20, seed: 9 });
  workers.push(spawnWorker(dbPath));
});
afterAll(async () => {
  await stopWorkers(workers);
  resetDb();
  clearCalibrationStore();
  process.env.WRIT_DB = saved.db;
  resetEnvCache();
});

async function create(body: unknown): Promise<{ status: number; body: { export: PublicExport; error?: { field?: string } } }> {
  const res = await exportsRoute.POST(new Request("http://x/api/exports", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }));
  return { status: res.status, body: await res.json() };
}
async function show(id: number): Promise<PublicExport> {
  return ((await (await exportJobRoute.GET(new Request(`http://x/api/exports/${id}`), params(id))).json()) as { export: PublicExport }).export;
}
async function direct(experimentId: number, query: string): Promise<string> {
  const res = await exportRoute.GET(new Request(`http://x/api/experiments/${experimentId}/export?${query}`), params(experimentId));
  expect(res.status).toBe(200);
  return res.text();
}
async function finished(id: number): Promise<PublicExport> {
  let last: PublicExport | undefined;
  const end = Date.now() + 60_000;
  for (;;) {
    last = await show(id);
    if (last.status === "succeeded" || last.status === "failed") return last;
    if (Date.now() > end) throw new Error(`export ${id} still ${last.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("export jobs", () => {
  it("write the file with progress and serve what the direct download serves", async () => {
    const { status, body } = await create({ experiment_id: synthetic.experimentId, format: "jsonl" });
    expect(status).toBe(201);
    expect(body.export).toMatchObject({ format: "jsonl", status: "queued", download_url: null });
    const id = body.export.id;
    const done = await finished(id);
    expect(done).toMatchObject({ status: "succeeded", rows: synthetic.rollouts, filename: `experiment-${synthetic.experimentId}-rollouts.jsonl`, download_url: `/api/exports/${id}/file` });
    // Progress: every finished rollout read, out of the experiment's total.
    expect(done.progress).toMatchObject({ done: synthetic.rollouts, total: synthetic.rollouts });

    const file = await exportFileRoute.GET(new Request(`http://x/api/exports/${id}/file`), params(id));
    expect(file.status).toBe(200);
    expect(file.headers.get("content-disposition")).toContain(done.filename!);
    const text = await file.text();
    expect(Number(file.headers.get("content-length"))).toBe(Buffer.byteLength(text));
    expect(text).toBe(await direct(synthetic.experimentId, "format=jsonl"));
    // Next to the database, readable by its owner only.
    const stored = join(dirname(dbPath), "exports", `export-${id}-${done.filename}`);
    expect(statSync(stored).mode & 0o777).toBe(0o600);

    const list = (await (await exportsRoute.GET(new Request(`http://x/api/exports?experiment_id=${synthetic.experimentId}`))).json()) as { exports: PublicExport[] };
    expect(list.exports.map((e) => e.id)).toContain(id);

    // Delete: the file and the record go.
    expect((await exportJobRoute.DELETE(new Request("http://x", { method: "DELETE" }), params(id))).status).toBe(200);
    expect(existsSync(stored)).toBe(false);
    expect((await exportJobRoute.GET(new Request("http://x"), params(id))).status).toBe(404);
  });

  it("pins the RL iteration at request time and matches the direct compact and full downloads", async () => {
    for (const layout of ["compact", "full"] as const) {
      const { status, body } = await create({ experiment_id: calibrated, format: "rl", rl_layout: layout });
      expect(status).toBe(201);
      expect(body.export.iteration).toEqual(expect.any(Number));
      const done = await finished(body.export.id);
      expect(done.status).toBe("succeeded");
      const text = await (await exportFileRoute.GET(new Request("http://x"), params(done.id))).text();
      expect(text).toBe(await direct(calibrated, `format=rl&iteration=${done.iteration}&rl_layout=${layout}`));
    }
  });

  it("answers 409 for a file not written yet, and 4xx naming the field for a bad request", async () => {
    await stopWorkers(workers);
    const { body } = await create({ experiment_id: calibrated, format: "tasks" });
    const early = await exportFileRoute.GET(new Request("http://x"), params(body.export.id));
    expect(early.status).toBe(409);
    expect((await exportJobRoute.DELETE(new Request("http://x", { method: "DELETE" }), params(body.export.id))).status).toBe(409);
    expect((await create({ experiment_id: calibrated, format: "csv" })).body.error?.field).toBe("format");
    expect((await create({ experiment_id: calibrated, format: "rl", rl_layout: "wide" })).body.error?.field).toBe("rl_layout");
    expect((await create({ experiment_id: 99_999, format: "jsonl" })).status).toBe(404);
    expect((await create({ experiment_id: calibrated, format: "rl", config: { gamma: 2 } })).body.error?.field).toMatch(/^config/);
  });
});
