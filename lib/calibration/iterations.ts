/**
 * Reward-config iterations (paper Algorithm 1): immutable versions with parent, hash, note and
 * a metrics snapshot computed server-side on the experiment. There is no update path: a new
 * iteration is always a new row. Iteration 1 of an experiment is seeded as NAIVE_V5 on first use.
 */
import type { Db } from "../../db/client";
import type { RewardConfigRow } from "../../db/schema";
import { analyze } from "../analysis";
import { NotFoundError, ValidationError } from "../errors/app-error";
import { NAIVE_V5, TIER_NAMES, type RewardConfig, type TierName } from "../rewards";
import type { ConfigChange, IterationDiffResponse, IterationMetrics, MetricDelta, RewardConfigIteration } from "./api-types";
import { configHash, parseConfigInput, rememberConfig } from "./config-input";
import { requireExperiment } from "./analysis";
import { classifyOptionsOf, getExperimentData } from "./experiment-data";
import {
  fillMissingMetrics,
  findIterationRow,
  insertFirstIteration,
  insertIterationRow,
  insertSeedRows,
  iterationRowExists,
  listIterationRows,
  type JsonObject,
} from "./store/iterations";

export const NAIVE_NOTE = "naive per-turn rewards (paper's V5)";

export function computeIterationMetrics(db: Db, experimentId: number, config: RewardConfig): IterationMetrics {
  const { data } = getExperimentData(db, experimentId, classifyOptionsOf(config));
  const a = analyze(data, config);
  let passes = 0;
  for (let i = 0; i < data.nRollouts; i++) passes += data.outcome[i];
  const rho = {} as Record<TierName, number | null>;
  const meanAdv = {} as Record<TierName, number | null>;
  const misaligned: TierName[] = [];
  for (const t of TIER_NAMES) {
    rho[t] = a.tiers[t].rho;
    meanAdv[t] = a.tiers[t].mean_adv;
    if (a.tiers[t].aligned === false) misaligned.push(t);
  }
  return {
    experiment_id: experimentId,
    n_rollouts: a.n_rollouts,
    n_turns: a.n_turns,
    pass_rate: data.nRollouts > 0 ? passes / data.nRollouts : null,
    estimator: config.estimator,
    mismatches: a.mismatches,
    undefined_direction: a.undefined_direction,
    corr_mean_reward_outcome: a.corr_mean_reward_outcome,
    corr_adv_outcome: a.corr_adv_outcome,
    dead_turn_pct: a.dead_turn_pct,
    dead_turn_pct_cancel: a.dead_turn_pct_cancel,
    rho,
    mean_adv: meanAdv,
    misaligned,
    suggestion: a.suggestion,
    stop_rule_met: a.stop_rule_met,
    stop_rule_status: a.stop_rule_status,
    computed_at: Date.now(),
  };
}

function present(row: RewardConfigRow, number: number): RewardConfigIteration {
  const config = parseConfigInput(row.config);
  return {
    id: row.id,
    experiment_id: row.experimentId,
    parent_id: row.parentId,
    number,
    config,
    hash: row.hash,
    note: row.note,
    metrics: (row.metrics as IterationMetrics | null) ?? null,
    created_at: row.createdAt,
  };
}

const rowsOf = listIterationRows;

/** A metrics snapshot as the JSON column stores it (a copy: the spread has no named interface). */
const metricsJson = (metrics: IterationMetrics): JsonObject => ({ ...metrics });

function insertIteration(db: Db, experimentId: number, parentId: number | null, config: RewardConfig, note: string | null): RewardConfigRow {
  const metrics = computeIterationMetrics(db, experimentId, config);
  rememberConfig(config);
  return insertIterationRow(db, { experimentId, parentId, config, hash: configHash(config), note, metrics: metricsJson(metrics) });
}

/**
 * Seed iteration 1 = NAIVE_V5 when the experiment has none (idempotent under concurrent calls).
 * A seed placed without metrics by `seedIterationRows` (the home page) gets its metrics here, on
 * first use, like a seed created here.
 */
export function ensureSeedIteration(db: Db, experimentId: number): void {
  const rows = rowsOf(db, experimentId);
  if (rows.length) {
    const seed = rows[0];
    if (seed.metrics === null && seed.parentId === null && seed.note === NAIVE_NOTE) {
      fillMissingMetrics(db, seed.id, metricsJson(computeIterationMetrics(db, experimentId, NAIVE_V5)));
    }
    return;
  }
  const metrics = computeIterationMetrics(db, experimentId, NAIVE_V5);
  insertFirstIteration(db, { experimentId, parentId: null, config: NAIVE_V5, hash: configHash(NAIVE_V5), note: NAIVE_NOTE, metrics: metricsJson(metrics) });
}

/**
 * Iteration 1 (NAIVE_V5) of each listed experiment that has none yet, without metrics (an
 * analysis per experiment is too much for a page listing them; `ensureSeedIteration` fills them on
 * first use). So every view that lists iterations sees the #1 the workbench shows, whether or not
 * the workbench was opened. Dated like the experiment (the seed is the config it started with), so
 * it never reads as the newest iteration. One statement per experiment, idempotent.
 */
export function seedIterationRows(db: Db, experimentIds: readonly number[]): void {
  if (!experimentIds.length) return;
  insertSeedRows(db, experimentIds, { configJson: JSON.stringify(NAIVE_V5), hash: configHash(NAIVE_V5), note: NAIVE_NOTE });
}

export function listIterations(db: Db, experimentId: number): RewardConfigIteration[] {
  requireExperiment(db, experimentId);
  ensureSeedIteration(db, experimentId);
  return rowsOf(db, experimentId).map((r, i) => present(r, i + 1));
}

export function latestIteration(db: Db, experimentId: number): RewardConfigIteration {
  const list = listIterations(db, experimentId);
  return list[list.length - 1];
}

/** The iteration's position in its experiment's timeline (1-based). */
function numberOf(db: Db, row: RewardConfigRow): number {
  if (row.experimentId === null) return 1;
  const ids = rowsOf(db, row.experimentId).map((r) => r.id);
  return ids.indexOf(row.id) + 1;
}

export function getIterationRow(db: Db, id: number): RewardConfigRow {
  const row = findIterationRow(db, id);
  if (!row) throw new NotFoundError(`reward config ${id} not found`);
  return row;
}

export function getIteration(db: Db, id: number): RewardConfigIteration {
  const row = getIterationRow(db, id);
  return present(row, numberOf(db, row));
}

export interface CreateIterationInput {
  experiment_id: number;
  parent_id?: number | null;
  config: unknown;
  note?: string | null;
}

export function createIteration(db: Db, input: CreateIterationInput): RewardConfigIteration {
  requireExperiment(db, input.experiment_id);
  const config = parseConfigInput(input.config);
  ensureSeedIteration(db, input.experiment_id);
  let parentId: number | null;
  if (input.parent_id === undefined) {
    const rows = rowsOf(db, input.experiment_id);
    parentId = rows.length ? rows[rows.length - 1].id : null;
  } else {
    parentId = input.parent_id;
    if (parentId !== null) {
      if (!iterationRowExists(db, parentId)) throw new ValidationError(`parent reward config ${parentId} not found`, "parent_id");
    }
  }
  const row = insertIteration(db, input.experiment_id, parentId, config, input.note?.trim() || null);
  return present(row, numberOf(db, row));
}

/** Metrics of an iteration on another experiment (the next round of rollouts); not stored. */
export function evaluateIteration(db: Db, id: number, experimentId: number): { iteration_id: number; experiment_id: number; metrics: IterationMetrics; baseline: IterationMetrics | null } {
  const iteration = getIteration(db, id);
  requireExperiment(db, experimentId);
  return { iteration_id: id, experiment_id: experimentId, metrics: computeIterationMetrics(db, experimentId, iteration.config), baseline: iteration.metrics };
}

function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, value);
}

export function diffConfigs(a: RewardConfig, b: RewardConfig): ConfigChange[] {
  const fa = new Map<string, unknown>();
  const fb = new Map<string, unknown>();
  flatten(a, "", fa);
  flatten(b, "", fb);
  const keys = [...new Set([...fa.keys(), ...fb.keys()])];
  const changes: ConfigChange[] = [];
  for (const key of keys) {
    const va = fa.get(key);
    const vb = fb.get(key);
    if (JSON.stringify(va) !== JSON.stringify(vb)) changes.push({ key, a: va ?? null, b: vb ?? null });
  }
  return changes;
}

function metricDeltas(a: IterationMetrics | null, b: IterationMetrics | null): MetricDelta[] {
  const pick = (m: IterationMetrics | null): Map<string, number | null> => {
    const out = new Map<string, number | null>();
    if (!m) return out;
    for (const k of ["mismatches", "corr_mean_reward_outcome", "corr_adv_outcome", "dead_turn_pct", "dead_turn_pct_cancel", "pass_rate", "n_rollouts"] as const) out.set(k, m[k]);
    out.set("undefined_direction", m.undefined_direction ?? null); // null in snapshots saved before it existed
    for (const t of TIER_NAMES) out.set(`rho.${t}`, m.rho[t]);
    for (const t of TIER_NAMES) out.set(`mean_adv.${t}`, m.mean_adv[t]);
    return out;
  };
  const ma = pick(a);
  const mb = pick(b);
  const keys = [...new Set([...ma.keys(), ...mb.keys()])];
  return keys.map((metric) => {
    const va = ma.get(metric) ?? null;
    const vb = mb.get(metric) ?? null;
    return { metric, a: va, b: vb, delta: va !== null && vb !== null ? vb - va : null };
  });
}

export function diffIterations(db: Db, aId: number, bId: number): IterationDiffResponse {
  const a = getIteration(db, aId);
  const b = getIteration(db, bId);
  return {
    a,
    b,
    changes: diffConfigs(a.config, b.config),
    metric_deltas: metricDeltas(a.metrics, b.metrics),
    same_experiment: a.metrics !== null && b.metrics !== null && a.metrics.experiment_id === b.metrics.experiment_id,
  };
}

