/**
 * GET /api/compare over a temp db of simulated rollouts: per-task pass rates equal the rollouts'
 * own outcomes, tier numbers equal the workbench analysis route of each side (same config, same
 * step slice), training-run step ranges, and the errors (400 naming the field, 404, 409 on
 * different task sets).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import { getDb } from "../db/server";
import { experiments } from "../db/schema";
import { clearCalibrationStore } from "../lib/calibration/experiment-data";
import { TIER_NAMES } from "../lib/rewards";
import type { AnalysisResponse } from "../lib/calibration/api-types";
import type { CompareResponse } from "../lib/compare/compare";
import type { Rollout } from "../lib/types/rollout";
import * as analysisRoute from "../app/api/experiments/[id]/analysis/route";
import * as compareRoute from "../app/api/compare/route";
import { fixtureRollouts, insertExperiment } from "./calibration-fixtures";
import { appTempDb } from "./fixtures/app-db";

vi.mock("next/server", () => ({ connection: async () => {} }));

let expA: number;
let expB: number;
let expOther: number;
let run: number;
let rolloutsA: readonly Rollout[];
let rolloutsB: readonly Rollout[];
let rolloutsRun: readonly Rollout[];
let taskOrder: string[];
const appDb = appTempDb("writ-compare-api-", { caches: [clearCalibrationStore] });

async function compare(query: string): Promise<{ status: number; body: CompareResponse & { error?: { code: string; message: string; field?: string } } }> {
  const r = await compareRoute.GET(new Request(`http://x/api/compare?${query}`));
  return { status: r.status, body: await r.json() };
}

async function analysis(id: number, body: unknown): Promise<AnalysisResponse> {
  const r = await analysisRoute.POST(new Request(`http://x/api/experiments/${id}/analysis`, { method: "POST", body: JSON.stringify(body) }), {
    params: Promise.resolve({ id: String(id) }),
  });
  expect(r.status).toBe(200);
  return r.json();
}

/** Pass counts per task straight from the rollouts that were stored. */
function countsOf(rollouts: readonly Rollout[], keep: (r: Rollout) => boolean = () => true): Map<string, { n: number; passed: number }> {
  const out = new Map<string, { n: number; passed: number }>();
  for (const r of rollouts) {
    if (!keep(r)) continue;
    const c = out.get(r.task_id) ?? { n: 0, passed: 0 };
    c.n++;
    c.passed += r.outcome === 1 ? 1 : 0;
    out.set(r.task_id, c);
  }
  return out;
}

beforeAll(async () => {
  appDb.open();
  const db = getDb();
  const a = await fixtureRollouts(3);
  const b = await fixtureRollouts(11);
  const c = await fixtureRollouts(5);
  rolloutsA = a.rollouts;
  rolloutsB = b.rollouts;
  rolloutsRun = c.rollouts;
  taskOrder = a.tasks.map((t) => t.id);
  expA = insertExperiment(db, "A", a.tasks, a.rollouts);
  expB = insertExperiment(db, "B", b.tasks, b.rollouts);
  expOther = insertExperiment(db, "Other", b.tasks, b.rollouts);
  run = insertExperiment(db, "Run", c.tasks, c.rollouts);
  // B and the run use A's task set (the same synthesized tasks); "Other" keeps a set of its own.
  const setA = db.select({ s: experiments.taskSetId }).from(experiments).where(eq(experiments.id, expA)).get()!.s;
  db.update(experiments).set({ taskSetId: setA }).where(eq(experiments.id, expB)).run();
  // A training run: the group at position p is step p (its rollouts carry the step too).
  db.update(experiments).set({ taskSetId: setA, source: "training" }).where(eq(experiments.id, run)).run();
  db.$client.prepare("UPDATE groups SET step = position WHERE experiment_id = ?").run(run);
  db.$client.prepare("UPDATE rollouts SET step = (SELECT step FROM groups WHERE groups.id = rollouts.group_id) WHERE experiment_id = ?").run(run);
});

afterAll(() => appDb.close());

describe("GET /api/compare", () => {
  it("gives per-task pass rates equal to the stored outcomes, with B − A deltas and each side's first group", async () => {
    const { status, body } = await compare(`a=${expA}&b=${expB}`);
    expect(status).toBe(200);
    const ca = countsOf(rolloutsA);
    const cb = countsOf(rolloutsB);
    expect(body.tasks.map((t) => t.task_id).sort()).toEqual([...new Set([...ca.keys(), ...cb.keys()])].sort());
    for (const row of body.tasks) {
      const x = ca.get(row.task_id)!;
      const y = cb.get(row.task_id)!;
      expect([row.a.rollouts, row.a.passed, row.b.rollouts, row.b.passed]).toEqual([x.n, x.passed, y.n, y.passed]);
      expect(row.a.pass_rate).toBeCloseTo(x.passed / x.n, 12);
      expect(row.delta).toBeCloseTo(y.passed / y.n - x.passed / x.n, 12);
      expect(row.a.group_id).toBe(`g-${expA}-${taskOrder.indexOf(row.task_id)}`);
      expect(row.b.group_id).toBe(`g-${expB}-${taskOrder.indexOf(row.task_id)}`);
    }
    expect(body.only_a + body.only_b).toBe(0);
  });

  it("gives per-tier rho and mean advantage equal to the workbench analysis of each side under the same config", async () => {
    const { body } = await compare(`a=${expA}&b=${expB}&estimator=hybrid`);
    expect(body.config.estimator).toBe("hybrid");
    const wa = await analysis(expA, { config: body.config.config_hash, include: ["cells"] });
    const wb = await analysis(expB, { config: body.config.config_hash, include: ["cells"] });
    for (const tier of TIER_NAMES) {
      expect(body.a.tiers[tier].rho).toBe(wa.analysis.tiers[tier].rho);
      expect(body.a.tiers[tier].mean_adv).toBe(wa.analysis.tiers[tier].mean_adv);
      expect(body.b.tiers[tier].rho).toBe(wb.analysis.tiers[tier].rho);
      expect(body.b.tiers[tier].mean_adv).toBe(wb.analysis.tiers[tier].mean_adv);
    }
    expect(body.a.pass_rate).toBe(wa.pass_rate);
    // The cells pair A's and B's workbench cells.
    for (const cell of body.cells) {
      expect(cell.a).toEqual(wa.cells!.find((c) => c.w === cell.w && c.b === cell.b) ?? null);
      expect(cell.b_side).toEqual(wb.cells!.find((c) => c.w === cell.w && c.b === cell.b) ?? null);
    }
    expect(body.cells.length).toBe(new Set([...wa.cells!, ...wb.cells!].map((c) => `${c.w}:${c.b}`)).size);
  });

  it("compares step ranges of a training run: pass counts and tiers of each range", async () => {
    const { status, body } = await compare(`a=${run}&a_steps=0-2&b=${run}&b_steps=3-7`);
    expect(status).toBe(200);
    const stepOf = (r: Rollout) => taskOrder.indexOf(r.task_id);
    const ca = countsOf(rolloutsRun, (r) => stepOf(r) <= 2);
    const cb = countsOf(rolloutsRun, (r) => stepOf(r) >= 3 && stepOf(r) <= 7);
    expect(body.a.n_rollouts).toBe([...ca.values()].reduce((s, c) => s + c.n, 0));
    expect(body.b.n_rollouts).toBe([...cb.values()].reduce((s, c) => s + c.n, 0));
    for (const row of body.tasks) {
      expect(row.a.passed).toBe(ca.get(row.task_id)?.passed ?? 0);
      expect(row.b.passed).toBe(cb.get(row.task_id)?.passed ?? 0);
    }
    // Disjoint step ranges of one task per step: every task is on one side only.
    expect(body.only_a).toBe(ca.size);
    expect(body.only_b).toBe(cb.size);
    const wa = await analysis(run, { slice: { steps: [0, 2] } });
    const wb = await analysis(run, { slice: { steps: [3, 7] } });
    for (const tier of TIER_NAMES) {
      expect(body.a.tiers[tier].rho).toBe(wa.analysis.tiers[tier].rho);
      expect(body.b.tiers[tier].mean_adv).toBe(wb.analysis.tiers[tier].mean_adv);
    }
  });

  it("answers 409 with both task sets named when the experiments run different task sets", async () => {
    const { status, body } = await compare(`a=${expA}&b=${expOther}`);
    expect(status).toBe(409);
    expect(body.error!.message).toMatch(/different task sets/);
    expect(body.error!.message).toContain(`"Other tasks"`);
  });

  it("answers 404 for an unknown experiment and 400 naming the field for bad input", async () => {
    expect((await compare(`a=${expA}&b=99999`)).status).toBe(404);
    const cases: [string, string][] = [
      [`b=${expB}`, "a"],
      [`a=x&b=${expB}`, "a"],
      [`a=${expA}&b=0`, "b"],
      [`a=${run}&b=${run}&a_steps=5-1`, "a_steps"],
      [`a=${expA}&b=${expB}&b_steps=0-3`, "b_steps"],
      [`a=${expA}&b=${expB}&estimator=ppo`, "estimator"],
      [`a=${expA}&b=${expB}&iteration=abc`, "iteration"],
    ];
    for (const [q, field] of cases) {
      const r = await compare(q);
      expect([q, r.status, r.body.error?.field]).toEqual([q, 400, field]);
    }
  });
});
