/**
 * The home page and the workbench agree on iteration #1: before anyone opens the workbench, the
 * overview already lists the experiment's NAIVE_V5 iteration (without metrics), and the workbench's
 * list then shows the same row, with its metrics filled in on first use.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../db/server";
import { clearCalibrationStore } from "../lib/calibration/experiment-data";
import { getCalibrationOverview } from "../lib/calibration/overview";
import { listIterations, NAIVE_NOTE } from "../lib/calibration/iterations";
import { NAIVE_V5 } from "../lib/rewards";
import { insertFixtureExperiment } from "./calibration-fixtures";
import { appTempDb } from "./fixtures/app-db";

let exp: number;
const appDb = appTempDb("writ-home-iter-", { caches: [clearCalibrationStore] });

beforeAll(async () => {
  appDb.open();
  exp = await insertFixtureExperiment(getDb(), "A");
});

afterAll(() => appDb.close());

describe("iteration #1 on the home page", () => {
  it("is listed before the workbench was ever opened, and is the workbench's #1", () => {
    const db = getDb();
    const home = getCalibrationOverview(db);
    expect(home.recent_iterations.map((i) => [i.experiment_id, i.number, i.note])).toEqual([[exp, 1, NAIVE_NOTE]]);
    expect(home.experiments.find((e) => e.id === exp)?.latest_iteration?.number).toBe(1);
    // Not analysed yet: no made-up metrics.
    expect(home.recent_iterations[0].mismatches).toBeNull();
    // A second visit does not add another seed.
    expect(getCalibrationOverview(db).recent_iterations).toHaveLength(1);

    const list = listIterations(db, exp);
    expect(list).toHaveLength(1);
    expect(list[0].id).toBe(home.recent_iterations[0].id);
    expect(list[0].config).toEqual(NAIVE_V5);
    // The workbench's first use fills in the seed's metrics; the home page then shows them.
    expect(list[0].metrics?.experiment_id).toBe(exp);
    expect(getCalibrationOverview(db).recent_iterations[0].mismatches).toBe(list[0].metrics!.mismatches);
  });
});
