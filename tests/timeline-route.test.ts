/**
 * GET /api/experiments/:id/timeline and the workbench's step slice (POST …/analysis with
 * slice.steps) on a real training run: simulated groups streamed in through POST /api/v1/ingest
 * on a temp database. Each timeline point must equal the workbench's analysis of that step, the
 * timeline must grow as steps arrive, and bad queries are 400s naming the field.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/server";
import { clearIngestTaskCache } from "@/lib/ingest/task-sets";
import { simulateStep } from "@/lib/ingest/simulate";
import { NAIVE_V5, TIER_NAMES } from "@/lib/rewards";
import { insertTaskSet, synthesizeSmall } from "@/tests/experiments-fixtures";
import * as ingestRoute from "@/app/api/v1/ingest/route";
import * as analysisRoute from "@/app/api/experiments/[id]/analysis/route";
import * as timelineRoute from "@/app/api/experiments/[id]/timeline/route";
import type { TimelineResponse } from "@/lib/calibration/timeline-service";
import type { Task } from "@/lib/types/task";
import { appTempDb } from "@/tests/fixtures/app-db";

vi.mock("next/server", () => ({ connection: async () => {} }));

let tasks: Task[];
let experimentId: number;
const appDb = appTempDb("writ-timeline-", { caches: [clearIngestTaskCache] });

async function ingestSteps(steps: number[]) {
  const batch: unknown[] = [{ id: "run", type: "run.upsert", body: { run_id: "tl-run", name: "timeline run", task_set: "tl-set", group_size: 4 } }];
  for (const s of steps) for (const g of await simulateStep(tasks, s, 6, 4)) batch.push({ id: `g-${g.group_id}`, type: "group.create", body: { run_id: "tl-run", ...g } });
  const r = await ingestRoute.POST(new Request("http://x/api/v1/ingest", { method: "POST", body: JSON.stringify({ batch }) }));
  const body = (await r.json()) as { successes: { experiment_id?: number }[]; errors: unknown[] };
  expect(body.errors).toEqual([]);
  experimentId = body.successes[0].experiment_id!;
}

const ctx = () => ({ params: Promise.resolve({ id: String(experimentId) }) });
async function timeline(query = ""): Promise<{ status: number; body: TimelineResponse & { error?: { field?: string } } }> {
  const r = await timelineRoute.GET(new Request(`http://x/api/experiments/${experimentId}/timeline?${query}`), ctx());
  return { status: r.status, body: await r.json() };
}
async function analysis(slice: Record<string, unknown>) {
  const r = await analysisRoute.POST(new Request("http://x", { method: "POST", body: JSON.stringify({ config: NAIVE_V5, slice }) }), ctx());
  return { status: r.status, body: await r.json() };
}

beforeAll(async () => {
  appDb.open();
  tasks = synthesizeSmall([{ writes: 1, evidence: 1, count: 3 }, { writes: 2, evidence: 2, count: 2 }]);
  insertTaskSet(getDb(), "tl-set", tasks);
  await ingestSteps([0, 1, 2]);
});
afterAll(() => appDb.close());

describe("GET /api/experiments/:id/timeline", () => {
  it("gives one point per step that equals the workbench's analysis of that step", async () => {
    const { status, body } = await timeline(`estimator=mt_grpo&config=`);
    expect(status).toBe(200);
    expect(body.experiment.source).toBe("training");
    expect(body.step_from).toEqual([0, 1, 2]);
    expect(body.rollouts).toEqual([20, 20, 20]);
    expect(body.groups).toEqual([5, 5, 5]);
    // The trainer sent group-normalised advantages: sign agreement is measured.
    expect(body.has_trainer_advantage).toBe(true);
    // And rewards: the zero-variance share on the trainer's reward equals the stored rows' (TRL's frac_reward_zero_std).
    expect(body.has_trainer_reward).toBe(true);
    for (let p = 0; p < 3; p++) {
      const zero = getDb()
        .$client.prepare(
          "SELECT avg(c) AS z FROM (SELECT (min(trainer_reward) = max(trainer_reward)) AS c FROM rollouts WHERE experiment_id = ? AND step = ? GROUP BY group_id)",
        )
        .get(experimentId, p) as { z: number };
      expect(body.trainer_zero_variance_share[p]).toBeCloseTo(zero.z, 12);
    }
    const { body: configured } = await timeline(`estimator=mt_grpo&config=${(await analysis({})).body.config_hash}`);
    for (let p = 0; p < 3; p++) {
      const a = await analysis({ steps: [p, p] });
      expect(a.status).toBe(200);
      expect(a.body.slice).toEqual({ steps: [p, p] });
      expect(a.body.analysis.n_rollouts).toBe(20);
      const stored = getDb().$client.prepare("SELECT avg(outcome) AS r FROM rollouts WHERE experiment_id = ? AND step = ?").get(experimentId, p) as { r: number };
      expect(configured.pass_rate[p]).toBeCloseTo(stored.r, 12);
      expect(configured.mismatches[p]).toBe(a.body.analysis.mismatches);
      for (const name of TIER_NAMES) expect(configured.tiers[name].rho[p]).toBe(a.body.analysis.tiers[name].rho);
    }
  });

  it("grows as steps arrive (no stale cache) and buckets on request", async () => {
    await ingestSteps([3, 5]);
    const { body } = await timeline("");
    expect(body.step_from).toEqual([0, 1, 2, 3, 5]);
    expect(body.cached).toBe(false);
    expect((await timeline("")).body.cached).toBe(true);
    const bucketed = await timeline("bucket=2");
    expect([bucketed.body.step_from, bucketed.body.step_to, bucketed.body.rollouts]).toEqual([
      [0, 2, 4],
      [1, 3, 5],
      [40, 40, 20],
    ]);
  });

  it("answers 400 naming the field for a bad query, 404 for an unknown experiment", async () => {
    const bad = await timeline("bucket=-1");
    expect(bad.status).toBe(400);
    expect(bad.body.error?.field).toBe("bucket");
    expect((await timeline("estimator=ppo")).body.error?.field).toBe("estimator");
    expect((await analysis({ steps: [4, 2] })).body.error.field).toBe("slice.steps");
    const r = await timelineRoute.GET(new Request("http://x/api/experiments/999999/timeline"), { params: Promise.resolve({ id: "999999" }) });
    expect(r.status).toBe(404);
  });
});
