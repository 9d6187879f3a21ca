/**
 * The calibration store: incremental appends equal a fresh load, the classification cache is
 * keyed by classificationKey (values/estimator reuse it, deep-equal toggles do not), late rows
 * within the clock-skew slack are picked up once, and results are cached per data version.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTempDb, type TempDb } from "./helpers";
import { analyze, type ColumnarRollouts } from "../lib/analysis";
import { CALIBRATED, NAIVE_V5, makeRewardConfig } from "../lib/rewards";
import { clearCalibrationStore, classifyOptionsOf, getExperimentData } from "../lib/calibration/experiment-data";
import { runAnalysis } from "../lib/calibration/analysis";
import { addRollouts, fixtureRollouts, insertExperiment } from "./calibration-fixtures";

function masksById(d: ColumnarRollouts): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (let i = 0; i < d.nRollouts; i++) out[d.rolloutIds[i]] = Array.from(d.turnMask.subarray(d.turnOffsets[i], d.turnOffsets[i + 1]));
  return out;
}

/** Deep equality with 1e-9 tolerance on numbers (summation order differs with row order). */
function expectClose(a: unknown, b: unknown, path = "$"): void {
  if (typeof a === "number" && typeof b === "number") {
    expect(Math.abs(a - b), path).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(a)));
    return;
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    expect(Object.keys(a).sort(), path).toEqual(Object.keys(b).sort());
    for (const k of Object.keys(a)) expectClose((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    return;
  }
  expect(a, path).toEqual(b);
}

let t: TempDb;
beforeAll(() => {
  t = createTempDb([clearCalibrationStore]);
});
afterAll(() => t.cleanup());

describe("calibration store", () => {
  it("appends rollouts as they finish; the result equals a fresh load", async () => {
    const { tasks, rollouts } = await fixtureRollouts(3);
    const half = Math.floor(rollouts.length / 2);
    const id = insertExperiment(t.db, "live", tasks, rollouts.slice(0, half), 5_000_000);
    const first = getExperimentData(t.db, id, classifyOptionsOf(NAIVE_V5));
    expect(first.data.nRollouts).toBe(half);
    const before = runAnalysis(t.db, id, { config: NAIVE_V5, include: ["cells"] });
    expect(before.data_version).toBe(half);

    // No new rows: nothing reloaded, cache hit.
    expect(getExperimentData(t.db, id, classifyOptionsOf(NAIVE_V5)).changed).toBe(false);
    expect(runAnalysis(t.db, id, { config: NAIVE_V5, include: ["cells"] }).cached).toBe(true);

    // The rest arrives; a few "finished" slightly earlier than the newest seen (another writer's clock).
    addRollouts(t.db, id, tasks, rollouts.slice(half), 5_000_000 + half - 3);
    const live = getExperimentData(t.db, id, classifyOptionsOf(NAIVE_V5));
    expect(live.changed).toBe(true);
    expect(live.data).toBe(first.data); // appended in place
    expect(live.data.nRollouts).toBe(rollouts.length);
    expect(new Set(live.data.rolloutIds).size).toBe(rollouts.length);
    const after = runAnalysis(t.db, id, { config: NAIVE_V5, include: ["cells"] });
    expect(after.cached).toBe(false);
    expect(after.data_version).toBe(rollouts.length);

    clearCalibrationStore();
    const fresh = getExperimentData(t.db, id, classifyOptionsOf(NAIVE_V5));
    expect(fresh.data).not.toBe(live.data);
    // A fresh load orders by finished time (the late rows interleave): compare per rollout id.
    expect(masksById(fresh.data)).toEqual(masksById(live.data));
    for (const cfg of [NAIVE_V5, CALIBRATED]) expectClose(analyze(fresh.data, cfg), analyze(live.data, cfg));
    const again = runAnalysis(t.db, id, { config: NAIVE_V5, include: ["cells"] });
    expectClose({ ...again, cached: null, computed_ms: null }, { ...after, cached: null, computed_ms: null });
  });

  it("reuses the classification for value/estimator changes and reclassifies for deep-equal toggles", async () => {
    const { tasks, rollouts } = await fixtureRollouts(3);
    const id = insertExperiment(t.db, "keys", tasks, rollouts, 9_000_000);
    const a = getExperimentData(t.db, id, classifyOptionsOf(NAIVE_V5)).data;
    const sameKey = makeRewardConfig({ tiers: { read: -1, gold: 3 }, estimator: "gtpo", precedence: ["duplicate", "gold"], gamma: 0.5 });
    expect(getExperimentData(t.db, id, classifyOptionsOf(sameKey)).data).toBe(a);
    const toggled = makeRewardConfig({ deep_equal: { sort_lists: true, coerce_numeric_strings: false, drop_empty: false } });
    const b = getExperimentData(t.db, id, classifyOptionsOf(toggled)).data;
    expect(b).not.toBe(a);
    expect(b.classKey).not.toBe(a.classKey);
    expect(b.nRollouts).toBe(a.nRollouts);
    const tools = makeRewardConfig({ read_tools: ["get_user_details"] });
    const c = getExperimentData(t.db, id, classifyOptionsOf(tools)).data;
    expect(c).not.toBe(a);
    // Both earlier classifications are still held.
    expect(getExperimentData(t.db, id, classifyOptionsOf(NAIVE_V5)).data).toBe(a);
  });
});
