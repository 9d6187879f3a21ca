/**
 * create → run → counters: an experiment of simulated rollouts run by an in-process
 * worker through the rollouts.run job, then its summary rows, groups and counters checked
 * against the rollout rows themselves; a retry of a finished job creates nothing new.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTempDb, type TempDb } from "./helpers";
import { synthesizeSmall } from "./experiments-fixtures";
import { getExperimentRow } from "../db/queries/experiments";
import { enqueueJob } from "../lib/jobs/store/enqueue";
import { createSimulatedExperiment, runJobToSuccess } from "./fixtures/simulated-run";

let t: TempDb;
beforeAll(() => {
  t = createTempDb();
});
afterAll(() => t.cleanup());

describe("rollouts.run", () => {
  it("runs every task × group_size once and keeps the counters true", async () => {
    const tasks = synthesizeSmall([
      { writes: 1, evidence: 1, count: 3 },
      { writes: 2, evidence: 2, count: 3 },
    ]);
    const { experiment, job } = createSimulatedExperiment(t.db, { setName: "run-set", name: "run test", tasks, groupSize: 4, concurrency: 3 });
    expect(experiment.rolloutsTotal).toBe(tasks.length * 4);
    await runJobToSuccess(t.db, job.id);
    const exp = getExperimentRow(t.db, experiment.id)!;
    expect(exp.status).toBe("completed");
    const q = <T>(s: string) => t.db.$client.prepare(s).get(experiment.id) as T;
    const agg = q<{ n: number; passed: number; errored: number; pt: number; ids: number; running: number }>(
      `SELECT count(*) n, sum(outcome) passed, sum(termination = 'error') errored, sum(prompt_tokens) pt,
              count(DISTINCT id) ids, sum(status = 'running') running FROM rollouts WHERE experiment_id = ?`,
    );
    expect(agg.n).toBe(tasks.length * 4);
    expect(agg.ids).toBe(agg.n);
    expect(agg.running).toBe(0);
    expect(exp.rolloutsDone).toBe(agg.n);
    expect(exp.rolloutsPassed).toBe(agg.passed);
    expect(exp.rolloutsErrored).toBe(agg.errored);
    expect(exp.promptTokens).toBe(agg.pt);
    // Groups: done/passed/mean_reward agree with their rollouts.
    const groups = t.db.$client
      .prepare(
        `SELECT g.id, g.done, g.passed, g.mean_reward m, count(r.id) n, sum(r.outcome) p, avg(r.reward) avg
         FROM groups g JOIN rollouts r ON r.group_id = g.id WHERE g.experiment_id = ? GROUP BY g.id`,
      )
      .all(experiment.id) as { done: number; passed: number; m: number; n: number; p: number; avg: number }[];
    expect(groups).toHaveLength(tasks.length);
    for (const g of groups) {
      expect(g.done).toBe(4);
      expect(g.n).toBe(4);
      expect(g.passed).toBe(g.p);
      expect(g.m).toBeCloseTo(g.avg, 9);
    }
    // Summary rows carry the task's axes, the preset by sample index and the policy check.
    const rows = t.db.$client
      .prepare(`SELECT sample_index, preset, writes, evidence_cell, behavior, violation_count, turns, termination FROM rollouts WHERE experiment_id = ?`)
      .all(experiment.id) as { sample_index: number; preset: string; writes: number; evidence_cell: number; behavior: string; violation_count: number; turns: number; termination: string }[];
    for (const r of rows) {
      expect(r.preset).toBe(r.sample_index % 2 === 0 ? "expert" : "sloppy");
      expect([1, 2]).toContain(r.writes);
      expect(r.evidence_cell).toBe(r.writes);
      expect(r.behavior).toBeTruthy();
      expect(r.violation_count).not.toBeNull();
      expect(r.turns).toBeGreaterThan(0);
    }
    // Messages: contiguous idx from 0, greeting first.
    const gaps = t.db.$client
      .prepare(
        `SELECT rollout_id, count(*) n, max(idx) mx FROM rollout_messages WHERE rollout_id IN (SELECT id FROM rollouts WHERE experiment_id = ?) GROUP BY rollout_id`,
      )
      .all(experiment.id) as { n: number; mx: number }[];
    expect(gaps).toHaveLength(agg.n);
    for (const g of gaps) expect(g.mx).toBe(g.n - 1);
    // Policy counts table agrees with the per-rollout violations.
    const perRule = t.db.$client
      .prepare(`SELECT coalesce(sum(count), 0) c FROM experiment_policy_counts WHERE experiment_id = ?`)
      .get(experiment.id) as { c: number };
    const fromRows = t.db.$client
      .prepare(`SELECT coalesce(sum(violation_count), 0) c FROM rollouts WHERE experiment_id = ?`)
      .get(experiment.id) as { c: number };
    expect(perRule.c).toBe(fromRows.c);

    // A second run of the job (as after a takeover) finds everything done: no new rows, counters unchanged.
    t.db.$client.prepare(`UPDATE experiments SET status = 'running' WHERE id = ?`).run(experiment.id);
    const again = enqueueJob(t.db, "rollouts.run", { experiment_id: experiment.id });
    await runJobToSuccess(t.db, again.id, { worker: { pollMs: 10 }, timeoutMs: 30_000, label: "second job" });
    const after = getExperimentRow(t.db, experiment.id)!;
    expect(after.rolloutsDone).toBe(exp.rolloutsDone);
    expect(after.rolloutsPassed).toBe(exp.rolloutsPassed);
    expect(after.status).toBe("completed");
    expect((t.db.get(sql`SELECT count(*) n FROM rollouts`) as { n: number }).n).toBe(agg.n);
  });
});
