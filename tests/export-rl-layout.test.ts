/**
 * RL export layouts (issue 20, item 7): the compact layout (a line per rollout, messages
 * once, turns referencing them by index) must re-expand to exactly the full layout's
 * records (a line per turn with the whole prompt), through the route as a client sees them.
 * If either layout drifts (a field added to one, a prompt cut differently), this fails.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "../db/server";
import { clearCalibrationStore } from "../lib/calibration/experiment-data";
import { expandRlCompactRow, type RlCompactRow, type RlRow } from "../lib/interchange/rl";
import * as exportRoute from "../app/api/experiments/[id]/export/route";
import { insertFixtureExperiment } from "./calibration-fixtures";
import { appTempDb } from "./fixtures/app-db";

vi.mock("next/server", () => ({ connection: async () => {} }));

let exp: number;
const appDb = appTempDb("writ-rl-layout-", { caches: [clearCalibrationStore] });
const params = (id: number) => ({ params: Promise.resolve({ id: String(id) }) });

async function exportText(query: string): Promise<{ status: number; text: string; layout: string | null }> {
  const res = await exportRoute.GET(new Request(`http://x/api/experiments/${exp}/export?format=rl${query}`), params(exp));
  return { status: res.status, text: await res.text(), layout: res.headers.get("x-writ-rl-layout") };
}
const lines = <T>(text: string): T[] => text.trim().split("\n").map((l) => JSON.parse(l) as T);

beforeAll(async () => {
  appDb.open();
  exp = await insertFixtureExperiment(getDb(), "layouts");
});
afterAll(() => appDb.close());

describe("RL export layouts", () => {
  it("compact is the default and re-expands to exactly the full layout's records", async () => {
    const compact = await exportText("");
    const full = await exportText("&rl_layout=full");
    expect(compact.status).toBe(200);
    expect(full.status).toBe(200);
    expect(compact.layout).toBe("compact");
    expect(full.layout).toBe("full");
    const compactRows = lines<RlCompactRow>(compact.text);
    const fullRows = lines<RlRow>(full.text);
    // One line per rollout, each message once.
    expect(new Set(compactRows.map((r) => r.rollout_id)).size).toBe(compactRows.length);
    expect(fullRows.length).toBeGreaterThan(compactRows.length);
    expect(compactRows.flatMap(expandRlCompactRow)).toEqual(fullRows);
    // Per-turn records reference the agent-turn index, as the full layout's `turn` does.
    expect(compactRows.flatMap((r) => r.turns.map((t) => t.turn))).toEqual(fullRows.map((r) => r.turn));
    expect(compact.text.length * 3).toBeLessThan(full.text.length);
  });

  it("names rl_layout when it is not a layout", async () => {
    const bad = await exportText("&rl_layout=wide");
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).error.field).toBe("rl_layout");
  });
});
