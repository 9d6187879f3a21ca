/**
 * The analysis route's own reuse (lib/calibration/analysis.ts) must not change a number: a slice
 * answered from its view (lib/analysis/slice-view.ts) equals the slice masked over the whole
 * experiment, and the sections cached under GRPO equal a fresh computation after every config
 * change. Compared with Object.is on every number (so -0 vs 0 or one ulp fails).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeDb, openDb, type Db } from "../db/client";
import { runAnalysis } from "../lib/calibration/analysis";
import { classifyOptionsOf, clearCalibrationStore, getExperimentData } from "../lib/calibration/experiment-data";
import { computeSections } from "../lib/calibration/sections";
import { analyzeWithEstimators, getWorkspace, sliceView } from "../lib/analysis";
import { makeRewardConfig, NAIVE_V5, type RewardConfig, type RewardConfigInput } from "../lib/rewards";
import type { AnalysisResponse, SliceInput } from "../lib/calibration/api-types";
import { fixtureRollouts, insertExperiment } from "./calibration-fixtures";

let dir: string;
let db: Db;
let exp: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "writ-analysis-caches-"));
  db = openDb(join(dir, "writ.db"));
  clearCalibrationStore();
  const { tasks, rollouts } = await fixtureRollouts(7);
  exp = insertExperiment(db, "caches", tasks, rollouts);
});

afterAll(() => {
  clearCalibrationStore();
  closeDb(db);
  rmSync(dir, { recursive: true, force: true });
});

const SECTIONS = ["estimators", "cells", "heatmap", "distribution"] as const;

/** Fails at the first number that is not Object.is-equal, or any other difference. */
function expectSameBits(got: unknown, want: unknown, path = "$"): void {
  if (typeof want === "number") {
    if (!Object.is(got, want)) throw new Error(`${path}: ${String(got)} is not ${String(want)}`);
    return;
  }
  if (Array.isArray(want)) {
    expect((got as unknown[]).length, `${path}.length`).toBe(want.length);
    want.forEach((v, i) => expectSameBits((got as unknown[])[i], v, `${path}[${i}]`));
    return;
  }
  if (want && typeof want === "object") {
    expect(Object.keys(got as object).sort(), path).toEqual(Object.keys(want).sort());
    for (const [k, v] of Object.entries(want)) expectSameBits((got as Record<string, unknown>)[k], v, `${path}.${k}`);
    return;
  }
  expect(got, path).toBe(want);
}

/** The response without the fields that say how it was computed. */
const numbers = (r: AnalysisResponse) => ({ ...r, computed_ms: 0, cached: false });

const grpo = (o: RewardConfigInput = {}): RewardConfig => makeRewardConfig({ ...NAIVE_V5, estimator: "grpo", ...o });

describe("analysis route reuse", () => {
  it("with GRPO configured, the cached sections equal a fresh computation after each config change", () => {
    // Each differs from the one before in one input the sections could read.
    const walk: RewardConfigInput[] = [
      {},
      { tiers: { ...NAIVE_V5.tiers, read: 0.41 } },
      { tiers: { ...NAIVE_V5.tiers, read: -0.2, gold: 0.3 } },
      { delta: 0.3 },
      { window: 20 },
      { ddof: 0 },
      { eps: 0.5 },
      { precedence: ["gold", "soft", "read", "error", "duplicate", "state", "message"] },
    ];
    for (const slice of [null, { w: [1] }] as (SliceInput | null)[]) {
      clearCalibrationStore();
      for (const input of walk) {
        const config = grpo(input);
        const warm = runAnalysis(db, exp, { config, slice, include: [...SECTIONS] });
        expect(warm.cached).toBe(false);
        clearCalibrationStore();
        const fresh = runAnalysis(db, exp, { config, slice, include: [...SECTIONS] });
        expectSameBits(numbers(warm), numbers(fresh));
        // Leave this config's entries warm for the next one.
      }
    }
  });

  it("a slice answered from its view equals the slice masked over the whole experiment", () => {
    const slices: SliceInput[] = [{ w: [1] }, { w: [2] }, { behavior: ["terse"] }];
    let viewed = 0;
    for (const slice of slices) {
      for (const estimator of ["grpo", "mt_grpo", "gtpo", "hybrid"] as const) {
        clearCalibrationStore();
        const config = grpo({ estimator, tiers: { ...NAIVE_V5.tiers, read: 0.17 } });
        const response = runAnalysis(db, exp, { config, slice, include: [...SECTIONS] });
        const { data } = getExperimentData(db, exp, classifyOptionsOf(config));
        if (sliceView(data, slice).data !== data) viewed++;
        // The masked path: the whole data, the slice as a mask, its workspace read by the sections.
        const masked = analyzeWithEstimators(data, config, { slice });
        const sections = computeSections(data, getWorkspace(data, config.precedence), slice, config, masked.result, { cells: true, heatmap: true, distribution: true });
        expectSameBits(response.analysis, masked.result);
        expectSameBits(response.estimators, masked.estimators);
        expectSameBits({ cells: response.cells, heatmap: response.heatmap, distribution: response.distribution }, sections);
      }
    }
    // The fixture's slices are small enough to be viewed (else this test would prove nothing).
    expect(viewed).toBeGreaterThan(0);
  });
});
