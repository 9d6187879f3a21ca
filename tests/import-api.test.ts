/**
 * POST /api/experiments/import called directly (no server): a τ² file is checked and
 * re-scored like `writ import`, and the answer carries the import report; a telecom file is
 * a 400 naming the domain; the experiment's detail keeps the report for the UI.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resetDb } from "../db/server";
import { resetEnvCache } from "../lib/settings";
import { TAU2_DIR } from "../lib/airline/testing/fixture";
import * as importRoute from "../app/api/experiments/import/route";
import * as experimentRoute from "../app/api/experiments/[id]/route";
import { oracleResults } from "./tau2-results-fixture";

vi.mock("next/server", () => ({ connection: async () => {} }));

const haveTau2 = existsSync(TAU2_DIR);
if (!haveTau2) console.warn(`[import-api] τ² data folder ${TAU2_DIR} absent: skipping`);
const saved = { db: process.env.WRIT_DB, tau2: process.env.TAU2_DATA_DIR };
let dir: string;

async function post(body: unknown) {
  const res = await importRoute.POST(
    new Request("http://127.0.0.1/api/experiments/import", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  );
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe.skipIf(!haveTau2)("POST /api/experiments/import", () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "writ-import-api-"));
    process.env.WRIT_DB = join(dir, "writ.db");
    process.env.TAU2_DATA_DIR = TAU2_DIR;
    resetEnvCache();
    resetDb();
  });
  afterAll(() => {
    resetDb();
    for (const [k, v] of [["WRIT_DB", saved.db], ["TAU2_DATA_DIR", saved.tau2]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetEnvCache();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers 201 with the report (recorded vs recomputed), kept on the experiment", async () => {
    const text = JSON.stringify(oracleResults(TAU2_DIR, ["7", "8"], { recordedReward: 0 }));
    const res = await post({ from: "tau2", text, name: "api import" });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ rollouts: 2, report: { rescored: 2, reward_disagreements: 2, tool_outputs: { differences: 0 } } });
    const id = res.body.experiment_id as number;
    const detail = await experimentRoute.GET(new Request(`http://127.0.0.1/api/experiments/${id}`), { params: Promise.resolve({ id: String(id) }) });
    const body = (await detail.json()) as { experiment: { metadata: { import_report: { reward_disagreements: number } } } };
    expect(body.experiment.metadata.import_report.reward_disagreements).toBe(2);
  });

  it("answers 400 naming the domain for a telecom file, and the field for a bad body", async () => {
    const text = JSON.stringify(oracleResults(TAU2_DIR, ["7"], { domain: "telecom" }));
    const res = await post({ from: "tau2", text, name: "telecom" });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain("telecom");
    const bad = await post({ from: "csv", text: "x", name: "n" });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("from");
  });
});
