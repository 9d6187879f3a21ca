/** Calibration test fixtures: simulated rollouts stored in a temp db as a finished experiment. */
import type { Db } from "../db/client";
import { groups, rolloutMessages, rollouts as rolloutsTable, experiments } from "../db/schema";
import { runDemoRollouts } from "../lib/demo/pipeline";
import type { Rollout } from "../lib/types/rollout";
import type { Task } from "../lib/types/task";
import { insertTaskSet, synthesizeSmall } from "./experiments-fixtures";
import { eq } from "drizzle-orm";

export const FIXTURE_GRID = [
  { writes: 1, evidence: 2, count: 3 },
  { writes: 2, evidence: 4, count: 3 },
  { writes: 1, evidence: 8, count: 2 },
];

const cache = new Map<string, { tasks: Task[]; rollouts: Rollout[] }>();

/** Simulated mixed-preset rollouts (4 per task) of a small synthesized set; memoised per seed. */
export async function fixtureRollouts(seed = 3): Promise<{ tasks: Task[]; rollouts: Rollout[] }> {
  const key = String(seed);
  let hit = cache.get(key);
  if (!hit) {
    const tasks = synthesizeSmall(FIXTURE_GRID);
    const rollouts = await runDemoRollouts({ seed, concurrency: 4 }, tasks);
    hit = { tasks, rollouts };
    cache.set(key, hit);
  }
  return hit;
}

/** A finished experiment holding `rollouts` (groups per task); returns its id. */
export function insertExperiment(db: Db, name: string, tasks: readonly Task[], rollouts: readonly Rollout[], finishedBase = 1_000_000): number {
  const setId = insertTaskSet(db, `${name} tasks`, tasks);
  const now = Date.now();
  const exp = db
    .insert(experiments)
    .values({ name, taskSetId: setId, agentConfig: { kind: "simulated", preset: "average" }, userConfig: { kind: "simulated" }, groupSize: 4, maxTurns: 30, maxErrors: 10, status: "completed", rolloutsTotal: rollouts.length })
    .returning()
    .get();
  const byTask = new Map(tasks.map((t, i) => [t.id, { task: t, pos: i }]));
  const groupIds = new Map<string, string>();
  for (const [taskId, { task, pos }] of byTask) {
    const gid = `g-${exp.id}-${pos}`;
    groupIds.set(taskId, gid);
    db.insert(groups)
      .values({ id: gid, experimentId: exp.id, taskId, position: pos, size: 4, writes: task.writ?.writes ?? null, evidenceCell: Math.max(...(task.writ?.evidence ?? [-1])), behavior: task.writ?.behavior ?? null, createdAt: now })
      .run();
  }
  addRollouts(db, exp.id, tasks, rollouts, finishedBase);
  let passed = 0;
  for (const r of rollouts) passed += r.outcome;
  db.update(experiments).set({ rolloutsDone: rollouts.length, rolloutsPassed: passed }).where(eq(experiments.id, exp.id)).run();
  return exp.id;
}

/** The fixture run of `seed` stored as one finished experiment (insertExperiment); its id. */
export async function insertFixtureExperiment(db: Db, name: string, seed = 3): Promise<number> {
  const { tasks, rollouts } = await fixtureRollouts(seed);
  return insertExperiment(db, name, tasks, rollouts);
}

/** Store finished rollouts (ids namespaced by experiment) with increasing finished_at. */
export function addRollouts(db: Db, experimentId: number, tasks: readonly Task[], rollouts: readonly Rollout[], finishedBase: number): string[] {
  const pos = new Map(tasks.map((t, i) => [t.id, i]));
  const ids: string[] = [];
  db.transaction((tx) => {
    rollouts.forEach((r, n) => {
      const p = pos.get(r.task_id)!;
      const task = tasks[p];
      const id = `r-${experimentId}-${p}-${r.sample_index}`;
      ids.push(id);
      tx.insert(rolloutsTable)
        .values({
          id,
          experimentId,
          groupId: `g-${experimentId}-${p}`,
          taskId: r.task_id,
          sampleIndex: r.sample_index,
          status: "done",
          outcome: r.outcome,
          reward: r.reward,
          termination: r.termination,
          turns: r.messages.filter((m) => m.role === "assistant").length - 1,
          writes: task.writ?.writes ?? null,
          evidenceCell: Math.max(...(task.writ?.evidence ?? [-1])),
          behavior: task.writ?.behavior ?? null,
          metadata: { agent: String(r.metadata?.agent ?? "") },
          finishedAt: finishedBase + n,
        })
        .run();
      r.messages.forEach((m, idx) => tx.insert(rolloutMessages).values({ rolloutId: id, idx, role: m.role, body: m }).run());
    });
  });
  return ids;
}
