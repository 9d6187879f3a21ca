/**
 * Two experiments (or two step ranges of training runs) on the same task set, side by side:
 * per-task pass rates from the database, per-tier rho and mean advantage and the W × B cells
 * from the workbench analysis of each side (lib/calibration/analysis `runAnalysis`, same config
 * for both sides: no second formula), and the first group of each task on each side for the
 * paired group view.
 *
 * Same task set: both experiments name the same task set; when either has none (an import
 * without tasks), their sets of task ids must be equal. Anything else is a ConflictError (409).
 */
import type { Db } from "../../db/client";
import type { CellSummary } from "../calibration/api-types";
import { runAnalysis } from "../calibration/analysis";
import { resolveBrowserConfig, type ConfigSelector } from "../calibration/annotations";
import { ConflictError, NotFoundError, ValidationError } from "../errors/app-error";
import { TIER_NAMES, type RewardConfig, type TierName } from "../rewards";
import { findExperimentInfo, listExperimentTaskIds, listTaskGroups, listTaskPassCounts, type ExperimentInfo, type TaskGroupRef } from "./store";

export interface CompareSideInput {
  experimentId: number;
  /** Inclusive training-step range (training runs only). */
  steps: [number, number] | null;
}

export interface CompareInput {
  a: CompareSideInput;
  b: CompareSideInput;
  /** The reward config both sides are analysed under (default: side A's latest iteration). */
  config: ConfigSelector;
}

export interface CompareSide {
  experiment_id: number;
  name: string;
  source: "run" | "import" | "training";
  task_set_id: number | null;
  task_set_name: string | null;
  steps: [number, number] | null;
  n_rollouts: number;
  pass_rate: number | null;
  mismatches: number;
  /** The workbench analysis' tier numbers under the shared config. */
  tiers: Record<TierName, { rho: number | null; ci: [number, number] | null; mean_adv: number | null; n_turns: number; intended_sign: 1 | -1 | null; aligned: boolean | null }>;
}

export interface CompareTaskRow {
  task_id: string;
  a: { rollouts: number; passed: number; pass_rate: number | null; group_id: string | null; groups: number };
  b: { rollouts: number; passed: number; pass_rate: number | null; group_id: string | null; groups: number };
  /** b.pass_rate − a.pass_rate; null when a side has no rollouts of the task. */
  delta: number | null;
}

export interface CompareResponse {
  config: { label: string; estimator: string; config_hash: string; iteration_id: number | null; diff: string };
  a: CompareSide;
  b: CompareSide;
  tasks: CompareTaskRow[];
  /** Tasks with rollouts on one side only (e.g. step ranges that sampled other tasks). */
  only_a: number;
  only_b: number;
  /** W × B cells present on either side, A's and B's summaries (deltas are B − A). */
  cells: { w: number; b: number; a: CellSummary | null; b_side: CellSummary | null }[];
}

function loadExperiment(db: Db, id: number, field: string): ExperimentInfo {
  const row = findExperimentInfo(db, id);
  if (!row) throw new NotFoundError(`${field}: experiment ${id} not found`);
  return row;
}

function describeSet(e: ExperimentInfo): string {
  return e.taskSetId === null ? "no task set" : `task set ${e.taskSetId} ("${e.taskSetName}")`;
}

/** 409 unless both sides run the same tasks (see the module header). */
function checkSameTaskSet(db: Db, a: ExperimentInfo, b: ExperimentInfo): void {
  if (a.taskSetId !== null && b.taskSetId !== null) {
    if (a.taskSetId !== b.taskSetId)
      throw new ConflictError(
        `experiments ${a.id} and ${b.id} run different task sets (${describeSet(a)} vs ${describeSet(b)}): a comparison needs the same task set`,
      );
    return;
  }
  const ta = listExperimentTaskIds(db, a.id, null);
  const tb = listExperimentTaskIds(db, b.id, null);
  const same = ta.length === tb.length && ta.every((t, i) => t === tb[i]);
  if (!same)
    throw new ConflictError(
      `experiments ${a.id} (${describeSet(a)}, ${ta.length} tasks) and ${b.id} (${describeSet(b)}, ${tb.length} tasks) do not run the same tasks: a comparison needs the same task set`,
    );
}

function checkSteps(e: ExperimentInfo, steps: [number, number] | null, field: string): void {
  if (steps && e.source !== "training") throw new ValidationError(`experiment ${e.id} is not a training run: step ranges apply to training runs only`, field);
}

function sideSummary(db: Db, e: ExperimentInfo, steps: [number, number] | null, config: RewardConfig): { side: CompareSide; cells: CellSummary[] } {
  const res = runAnalysis(db, e.id, { config, slice: steps ? { steps } : null, include: ["cells"] });
  const tiers = {} as CompareSide["tiers"];
  for (const t of TIER_NAMES) {
    const r = res.analysis.tiers[t];
    tiers[t] = { rho: r.rho, ci: r.ci, mean_adv: r.mean_adv, n_turns: r.n_turns, intended_sign: r.intended_sign, aligned: r.aligned };
  }
  const side: CompareSide = {
    experiment_id: e.id,
    name: e.name,
    source: e.source,
    task_set_id: e.taskSetId,
    task_set_name: e.taskSetName,
    steps,
    n_rollouts: res.analysis.n_rollouts,
    pass_rate: res.pass_rate,
    mismatches: res.analysis.mismatches,
    tiers,
  };
  return { side, cells: res.cells ?? [] };
}

const rate = (passed: number, n: number): number | null => (n > 0 ? passed / n : null);

function taskRows(db: Db, a: CompareSideInput, b: CompareSideInput): { rows: CompareTaskRow[]; onlyA: number; onlyB: number } {
  const pa = new Map(listTaskPassCounts(db, a.experimentId, a.steps).map((r) => [r.taskId, r]));
  const pb = new Map(listTaskPassCounts(db, b.experimentId, b.steps).map((r) => [r.taskId, r]));
  const ga = new Map<string, TaskGroupRef>(listTaskGroups(db, a.experimentId, a.steps).map((g) => [g.taskId, g]));
  const gb = new Map<string, TaskGroupRef>(listTaskGroups(db, b.experimentId, b.steps).map((g) => [g.taskId, g]));
  const ids = [...new Set([...pa.keys(), ...pb.keys(), ...ga.keys(), ...gb.keys()])].sort();
  let onlyA = 0;
  let onlyB = 0;
  const rows = ids.map((task_id): CompareTaskRow => {
    const x = pa.get(task_id);
    const y = pb.get(task_id);
    const side = (p: typeof x, g: TaskGroupRef | undefined) => ({
      rollouts: p?.rollouts ?? 0,
      passed: p?.passed ?? 0,
      pass_rate: rate(p?.passed ?? 0, p?.rollouts ?? 0),
      group_id: g?.groupId ?? null,
      groups: g?.groups ?? 0,
    });
    const sa = side(x, ga.get(task_id));
    const sb = side(y, gb.get(task_id));
    if (sa.rollouts > 0 && sb.rollouts === 0) onlyA++;
    if (sb.rollouts > 0 && sa.rollouts === 0) onlyB++;
    return { task_id, a: sa, b: sb, delta: sa.pass_rate !== null && sb.pass_rate !== null ? sb.pass_rate - sa.pass_rate : null };
  });
  return { rows, onlyA, onlyB };
}

function pairCells(a: readonly CellSummary[], b: readonly CellSummary[]): CompareResponse["cells"] {
  const key = (c: CellSummary) => `${c.w}:${c.b}`;
  const ma = new Map(a.map((c) => [key(c), c]));
  const mb = new Map(b.map((c) => [key(c), c]));
  const keys = [...new Set([...ma.keys(), ...mb.keys()])];
  return keys
    .map((k) => {
      const [w, bb] = k.split(":").map(Number);
      return { w, b: bb, a: ma.get(k) ?? null, b_side: mb.get(k) ?? null };
    })
    .sort((x, y) => x.w - y.w || x.b - y.b);
}

export function compareExperiments(db: Db, input: CompareInput): CompareResponse {
  const ea = loadExperiment(db, input.a.experimentId, "a");
  const eb = loadExperiment(db, input.b.experimentId, "b");
  checkSteps(ea, input.a.steps, "a_steps");
  checkSteps(eb, input.b.steps, "b_steps");
  checkSameTaskSet(db, ea, eb);
  // One config for both sides, resolved against side A (its latest iteration when none is named).
  const resolved = resolveBrowserConfig(db, ea.id, input.config);
  const a = sideSummary(db, ea, input.a.steps, resolved.config);
  const b = sideSummary(db, eb, input.b.steps, resolved.config);
  const { rows, onlyA, onlyB } = taskRows(db, input.a, input.b);
  return {
    config: { label: resolved.label, estimator: resolved.estimator, config_hash: resolved.config_hash, iteration_id: resolved.iteration_id, diff: resolved.diff },
    a: a.side,
    b: b.side,
    tasks: rows,
    only_a: onlyA,
    only_b: onlyB,
    cells: pairCells(a.cells, b.cells),
  };
}
