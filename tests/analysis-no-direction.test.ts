/**
 * Single-trial experiments (one rollout per task, as in many published τ² result files):
 * every advantage is 0, so no tier has a direction. The analysis route, the workbench's
 * sections and `writ analyze` report them as `undefined_direction` (aligned: null), never as
 * mismatches, and the stop rule answers "undecided" rather than "continue".
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { getDb } from "../db/server";
import { clearCalibrationStore } from "../lib/calibration/experiment-data";
import { NAIVE_V5, TIER_NAMES } from "../lib/rewards";
import type { AnalysisResponse, DrillTurnsResponse, RewardConfigIteration } from "../lib/calibration/api-types";
import type { Rollout } from "../lib/types/rollout";
import * as analysisRoute from "../app/api/experiments/[id]/analysis/route";
import * as turnsRoute from "../app/api/experiments/[id]/analysis/turns/route";
import * as configsRoute from "../app/api/reward-configs/route";
import { fixtureRollouts, insertExperiment } from "./calibration-fixtures";
import { appTempDb } from "./fixtures/app-db";

vi.mock("next/server", () => ({ connection: async () => {} }));

const appDb = appTempDb("writ-no-direction-", { caches: [clearCalibrationStore] });
let expId: number;
let single: Rollout[];
const params = (id: number) => ({ params: Promise.resolve({ id: String(id) }) });

beforeAll(async () => {
  appDb.open();
  // Every rollout of two fixture runs (mixed presets, mixed outcomes) becomes its own task
  // and group: one trial per task.
  const runs = await Promise.all([3, 11].map((seed) => fixtureRollouts(seed)));
  const byId = new Map(runs[0].tasks.map((t) => [t.id, t]));
  single = runs.flatMap((run, n) =>
    run.rollouts.map((r, i) => ({ ...r, rollout_id: `${r.rollout_id}-${n}`, task_id: `${r.task_id}#${n}.${i}`, group_id: `single-${n}.${i}`, sample_index: 0 })),
  );
  const singleTasks = single.map((r) => ({ ...byId.get(r.task_id.split("#")[0])!, id: r.task_id }));
  expId = insertExperiment(getDb(), "single trials", singleTasks, single);
});
afterAll(() => appDb.close());

describe("single-trial experiment", () => {
  it("analysis route: undefined directions, no mismatch, stop rule undecided, in every section", async () => {
    const res = await analysisRoute.POST(
      new Request("http://x", { method: "POST", body: JSON.stringify({ config: NAIVE_V5, include: ["estimators", "cells", "heatmap"] }) }),
      params(expId),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as AnalysisResponse;
    const a = body.analysis;
    const checked = TIER_NAMES.filter((t) => a.tiers[t].intended_sign !== null);
    expect(checked.length).toBeGreaterThanOrEqual(1);
    expect(checked.every((t) => a.tiers[t].aligned === null && a.tiers[t].mean_adv === 0)).toBe(true);
    expect([a.mismatches, a.undefined_direction, a.dead_turn_pct]).toEqual([0, checked.length, 100]);
    expect(body.stop_rule).toMatchObject({ met: false, status: "undecided", mismatches: 0, undefined_direction: checked.length });
    expect(body.stop_rule.text).toMatch(/no direction on \d+ tiers? .*→ undecided/);
    for (const e of Object.values(body.estimators!)) expect([e.mismatches, e.undefined_direction, e.stop_rule_status]).toEqual([0, checked.length, "undecided"]);
    for (const cell of body.cells!) expect(cell.mismatches).toBe(0);
    expect(body.cells!.some((c) => c.undefined_direction > 0)).toBe(true);
    expect(body.heatmap!.misaligned.flat().every((n) => n === 0)).toBe(true);
    const tier = checked[0];
    const turns = await turnsRoute.GET(new Request(`http://x?tier=${tier}&config=${body.config_hash}&limit=50`), params(expId));
    const page = (await turns.json()) as DrillTurnsResponse;
    expect(page.turns.length).toBeGreaterThan(0);
    expect(page.turns.some((t) => t.misaligned)).toBe(false);
  });

  it("a saved iteration's metrics carry the count and the undecided stop rule", async () => {
    const res = await configsRoute.POST(
      new Request("http://x/api/reward-configs", { method: "POST", body: JSON.stringify({ experiment_id: expId, config: NAIVE_V5, note: "single trials" }) }),
    );
    expect(res.status).toBe(201);
    const { iteration } = (await res.json()) as { iteration: RewardConfigIteration };
    expect(iteration.metrics).toMatchObject({ mismatches: 0, misaligned: [], stop_rule_met: false, stop_rule_status: "undecided" });
    expect(iteration.metrics!.undefined_direction).toBeGreaterThanOrEqual(1);
  });

  it("writ analyze prints the same counts", () => {
    const rolloutsFile = join(appDb.dir, "single.jsonl");
    writeFileSync(rolloutsFile, single.map((r) => JSON.stringify(r)).join("\n") + "\n");
    const configFile = join(appDb.dir, "naive.json");
    writeFileSync(configFile, JSON.stringify(NAIVE_V5));
    const res = spawnSync(process.execPath, ["--import", "tsx", join(__dirname, "..", "bin", "writ.ts"), "analyze", "--rollouts", rolloutsFile, "--config", configFile, "--compare"], {
      encoding: "utf8",
    });
    expect(res.status, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out.mismatches).toBe(0);
    expect(out.undefined_direction).toBeGreaterThanOrEqual(1);
    expect(out.stop_rule_status).toBe("undecided");
    expect(out.stop_rule_met).toBe(false);
    for (const e of Object.values(out.estimators) as { mismatches: number; undefined_direction: number }[]) {
      expect([e.mismatches, e.undefined_direction]).toEqual([0, out.undefined_direction]);
    }
  }, 60_000);
});
