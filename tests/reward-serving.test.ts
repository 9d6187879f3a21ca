/**
 * Reward serving gives exactly the workbench's numbers: a few hundred groups of the demo's
 * simulated experiment (mixed presets, group size 8, several seeds) are stored as experiments,
 * a saved iteration scores every group through the route handler of
 * POST /api/v1/reward-configs/:iteration/score, and each turn's tier, reward and advantage must
 * equal (Object.is: bit for bit, -0 included) what the workbench analysis route and the RL
 * export give for the same rollouts, for every estimator.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "../db/server";
import { clearCalibrationStore } from "../lib/calibration/experiment-data";
import { runDemoRollouts, synthesizeDemoTasks } from "../lib/demo/pipeline";
import { exportExperiment } from "../lib/experiments/export";
import { clearRewardServingCaches } from "../lib/reward-serving/resolve";
import { CALIBRATED, ESTIMATORS, type EstimatorName } from "../lib/rewards";
import type { Rollout } from "../lib/types/rollout";
import type { Task } from "../lib/types/task";
import type { AnalysisResponse, RewardConfigIteration } from "../lib/calibration/api-types";
import type { ScoreAnswer } from "../lib/reward-serving/request";
import * as analysisRoute from "../app/api/experiments/[id]/analysis/route";
import * as scoreRoute from "../app/api/v1/reward-configs/[iteration]/score/route";
import { insertExperiment } from "./calibration-fixtures";
import { appTempDb } from "./fixtures/app-db";
import { saveIteration } from "./fixtures/reward-configs";

vi.mock("next/server", () => ({ connection: async () => {} }));

/** Demo runs with these seeds: 50 tasks × group size 8 each. */
const SEEDS = [1, 2, 3, 4, 5, 6];

const appDb = appTempDb("writ-reward-serving-", { caches: [clearCalibrationStore, clearRewardServingCaches] });
let tasks: Task[];
const experimentsBySeed = new Map<number, { id: number; rollouts: Rollout[] }>();
let iteration: RewardConfigIteration;

const params = (id: string | number) => ({ params: Promise.resolve({ id: String(id) }) });
const score = async (it: string | number, body: unknown) => {
  const res = await scoreRoute.POST(new Request(`http://x/api/v1/reward-configs/${it}/score`, { method: "POST", body: JSON.stringify(body) }), { params: Promise.resolve({ iteration: String(it) }) });
  return { status: res.status, body: (await res.json()) as ScoreAnswer };
};

beforeAll(async () => {
  appDb.open();
  tasks = synthesizeDemoTasks();
  for (const seed of SEEDS) {
    const rollouts = await runDemoRollouts({ seed, concurrency: 8 }, tasks);
    experimentsBySeed.set(seed, { id: insertExperiment(getDb(), `demo seed ${seed}`, tasks, rollouts), rollouts });
  }
  const first = experimentsBySeed.get(SEEDS[0])!.id;
  iteration = await saveIteration({ experiment_id: first, config: CALIBRATED, note: "calibrated" });
}, 240_000);

afterAll(() => appDb.close());

interface TurnValues {
  tier: string;
  reward: number;
  advantage: number;
}

/** The workbench's per-turn rows (analysis route, turns section) by rollout id, in the workbench's rollout order. */
async function workbenchTurns(experimentId: number, estimator: EstimatorName): Promise<Map<string, TurnValues[]>> {
  const res = await analysisRoute.POST(
    new Request(`http://x/api/experiments/${experimentId}/analysis`, {
      method: "POST",
      body: JSON.stringify({ config: { ...iteration.config, estimator }, include: ["turns"], turns_limit: 100_000 }),
    }),
    params(experimentId),
  );
  const body = (await res.json()) as AnalysisResponse;
  expect(body.turns_truncated).toBe(false);
  const out = new Map<string, TurnValues[]>();
  for (const t of body.analysis.turns!) {
    const list = out.get(t.rollout_id) ?? [];
    if (t.k !== list.length) throw new Error(`workbench turn rows of ${t.rollout_id} out of order`);
    list.push({ tier: t.tier, reward: t.reward, advantage: t.adv });
    out.set(t.rollout_id, list);
  }
  return out;
}

/** The RL export (compact layout: turns per rollout) under the iteration, or an inline config for another estimator. */
function rlExportTurns(experimentId: number, estimator: EstimatorName): Map<string, { outcome: number; turns: (TurnValues & { turn: number; message_index: number })[] }> {
  const src = estimator === iteration.config.estimator ? { iteration: iteration.id } : { config: { ...iteration.config, estimator } };
  const stream = exportExperiment(getDb(), experimentId, "rl", src);
  const out = new Map<string, { outcome: number; turns: (TurnValues & { turn: number; message_index: number })[] }>();
  for (const chunk of stream.chunks) {
    for (const line of chunk.split("\n")) {
      if (!line.trim()) continue;
      const row = JSON.parse(line) as { rollout_id: string; outcome: number; turns?: (TurnValues & { turn: number; message_index: number })[]; turn?: number; tier?: string; reward?: number; advantage?: number };
      const entry = out.get(row.rollout_id) ?? { outcome: row.outcome, turns: [] };
      if (row.turns) entry.turns.push(...row.turns);
      else entry.turns.push({ turn: row.turn!, message_index: -1, tier: row.tier!, reward: row.reward!, advantage: row.advantage! });
      out.set(row.rollout_id, entry);
    }
  }
  return out;
}

describe("reward serving = the workbench and the RL export, bit for bit", () => {
  it("covers a few hundred groups", () => {
    let groups = 0;
    for (const { rollouts } of experimentsBySeed.values()) groups += new Set(rollouts.map((r) => r.task_id)).size;
    expect(groups).toBeGreaterThanOrEqual(300);
  });

  for (const estimator of ESTIMATORS) {
    it(`${estimator}: every group's tiers, rewards and advantages`, async () => {
      let groupsChecked = 0;
      let turnsChecked = 0;
      let nonZeroAdvantages = 0;
      const mismatches: string[] = [];
      for (const { id: experimentId, rollouts } of experimentsBySeed.values()) {
        const workbench = await workbenchTurns(experimentId, estimator);
        const rl = rlExportTurns(experimentId, estimator);
        const position = new Map(tasks.map((t, i) => [t.id, i]));
        const rolloutById = new Map(rollouts.map((r) => [`r-${experimentId}-${position.get(r.task_id)}-${r.sample_index}`, r]));
        // Group members in the workbench's order (its analysis rows come rollout by rollout, finished order).
        const members = new Map<string, string[]>();
        for (const rolloutId of workbench.keys()) {
          const r = rolloutById.get(rolloutId)!;
          members.set(r.task_id, [...(members.get(r.task_id) ?? []), rolloutId]);
        }
        for (const [taskId, ids] of members) {
          const { status, body } = await score(iteration.id, {
            task_id: taskId,
            estimator,
            trajectories: ids.map((id) => ({ trajectory_id: id, messages: rolloutById.get(id)!.messages, termination: rolloutById.get(id)!.termination })),
          });
          expect(status).toBe(200);
          expect(body.iteration).toBe(iteration.id);
          expect(body.estimator).toBe(estimator);
          // Plain comparisons collected, one assertion at the end (hundreds of thousands of values).
          for (const result of body.results) {
            const stored = rolloutById.get(result.trajectory_id)!;
            const wb = workbench.get(result.trajectory_id)!;
            const ex = rl.get(result.trajectory_id)!;
            const where = `${estimator} ${result.trajectory_id}`;
            if (result.outcome !== stored.outcome || ex.outcome !== stored.outcome) mismatches.push(`${where}: outcome ${result.outcome} vs stored ${stored.outcome} / export ${ex.outcome}`);
            if (result.turns.length !== wb.length || result.turns.length !== ex.turns.length) {
              mismatches.push(`${where}: ${result.turns.length} turns vs workbench ${wb.length} / export ${ex.turns.length}`);
              continue;
            }
            let sum = 0;
            result.turns.forEach((t, k) => {
              const same =
                t.turn === k &&
                ex.turns[k].turn === k &&
                t.tier === wb[k].tier &&
                t.tier === ex.turns[k].tier &&
                Object.is(t.reward, wb[k].reward) &&
                Object.is(t.reward, ex.turns[k].reward) &&
                Object.is(t.advantage, wb[k].advantage) &&
                Object.is(t.advantage, ex.turns[k].advantage) &&
                (ex.turns[k].message_index < 0 || t.message_index + 1 === ex.turns[k].message_index);
              if (!same) mismatches.push(`${where} turn ${k}: ${JSON.stringify(t)} vs workbench ${JSON.stringify(wb[k])} / export ${JSON.stringify(ex.turns[k])}`);
              if (t.advantage !== 0) nonZeroAdvantages++;
              sum += t.reward;
              turnsChecked++;
            });
            if (result.reward !== result.outcome + sum) mismatches.push(`${where}: reward ${result.reward} != outcome + turn rewards ${result.outcome + sum}`);
          }
          groupsChecked++;
        }
      }
      expect(mismatches.slice(0, 5)).toEqual([]);
      expect(groupsChecked).toBeGreaterThanOrEqual(300);
      expect(turnsChecked).toBeGreaterThan(10_000);
      // The comparison is not vacuous: most advantages are live.
      expect(nonZeroAdvantages).toBeGreaterThan(turnsChecked / 4);
    }, 240_000);
  }
});
