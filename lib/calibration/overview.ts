/**
 * Home page figures: experiments with pass rate, rollouts and mismatches under their latest
 * iteration (from the stored metrics snapshot: no analysis runs here), recent iterations
 * across experiments, and running jobs. Cheap indexed reads, plus the seed iteration of a listed
 * experiment that has none yet (without metrics: see seedIterationRows).
 */
import type { Db } from "../../db/client";
import type { EstimatorKind, IterationMetrics, OverviewResponse } from "./api-types";
import { seedIterationRows } from "./iterations";
import { countIterationsUpTo, recentIterationRows } from "./store/iterations";
import { listActiveJobs, listExperimentNames, listIterationSummaries, listRecentExperiments } from "./store/overview";

export function getCalibrationOverview(db: Db, opts: { experiments?: number; iterations?: number; jobs?: number } = {}): OverviewResponse {
  const exps = listRecentExperiments(db, opts.experiments ?? 20);
  const ids = exps.map((e) => e.id);
  // Iteration 1 exists for every experiment, as the workbench shows it, opened or not.
  seedIterationRows(db, ids);
  const iterRows = listIterationSummaries(db, ids);
  const byExp = new Map<number, typeof iterRows>();
  for (const r of iterRows) {
    if (r.experimentId === null) continue;
    const list = byExp.get(r.experimentId) ?? [];
    list.push(r);
    byExp.set(r.experimentId, list);
  }
  const numberOf = new Map<number, number>();
  for (const list of byExp.values()) list.forEach((r, i) => numberOf.set(r.id, i + 1));

  const experimentsOut = exps.map((e) => {
    const list = byExp.get(e.id) ?? [];
    const latest = list[list.length - 1];
    const metrics = (latest?.metrics as IterationMetrics | null | undefined) ?? null;
    return {
      id: e.id,
      name: e.name,
      status: e.status,
      rollouts_done: e.rolloutsDone,
      rollouts_total: e.rolloutsTotal,
      pass_rate: e.rolloutsDone > 0 ? e.rolloutsPassed / e.rolloutsDone : null,
      latest_iteration: latest
        ? { id: latest.id, number: list.length, note: latest.note, estimator: String((latest.config as Record<string, unknown>).estimator ?? "grpo") as EstimatorKind }
        : null,
      mismatches: metrics?.mismatches ?? null,
      stop_rule_met: metrics?.stop_rule_met ?? null,
      created_at: e.createdAt,
    };
  });

  const recent = recentIterationRows(db, opts.iterations ?? 10);
  const names = new Map(exps.map((e) => [e.id, e.name]));
  const missing = [...new Set(recent.map((r) => r.experimentId).filter((x): x is number => x !== null && !names.has(x)))];
  for (const e of listExperimentNames(db, missing)) names.set(e.id, e.name);
  const recentOut = recent.map((r) => {
    const m = (r.metrics as IterationMetrics | null) ?? null;
    let number = numberOf.get(r.id);
    if (number === undefined && r.experimentId !== null) {
      // Experiment outside the listed page: count its earlier versions.
      number = countIterationsUpTo(db, { id: r.id, createdAt: r.createdAt, experimentId: r.experimentId });
    }
    return {
      id: r.id,
      experiment_id: r.experimentId,
      experiment_name: r.experimentId !== null ? (names.get(r.experimentId) ?? null) : null,
      number: number ?? 1,
      note: r.note,
      mismatches: m?.mismatches ?? null,
      corr_mean_reward_outcome: m?.corr_mean_reward_outcome ?? null,
      created_at: r.createdAt,
    };
  });

  const running = listActiveJobs(db, opts.jobs ?? 20).map((j) => {
    const p = j.payload as Record<string, unknown> | null;
    const expId = p && typeof p.experiment_id === "number" ? p.experiment_id : null;
    return { id: j.id, name: j.name, status: j.status as "queued" | "running", progress_message: j.progressMessage, experiment_id: expId, created_at: j.createdAt };
  });

  return { experiments: experimentsOut, recent_iterations: recentOut, running_jobs: running, generated_at: Date.now() };
}
