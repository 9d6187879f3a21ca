/**
 * The experiment overview: pass^k, W × B cells, turn/token histograms, termination counts,
 * policy violations by rule, per-behaviour and per-preset pass rates. Everything is an
 * aggregate over summary columns (never message bodies); policy counts come from the
 * incrementally maintained experiment_policy_counts table (checkPolicy runs once per rollout,
 * in the worker). Results are cached per process until the experiment's counters move.
 */
import type { Db } from "../../db/client";
import { getExperimentRow } from "../../db/queries/experiments";
import { NotFoundError } from "../http/errors";
import { passHatK } from "../rollouts/evaluate";
import type { Termination } from "../types/messages";
import type { ExperimentOverviewResponse, HistogramBin, WBCell } from "./api-types";

const BINS = 20;

interface CacheEntry {
  key: string;
  value: ExperimentOverviewResponse;
}
const holder = globalThis as typeof globalThis & { __writOverviewCache?: Map<number, CacheEntry> };
function cache(): Map<number, CacheEntry> {
  holder.__writOverviewCache ??= new Map();
  return holder.__writOverviewCache;
}

function histogram(db: Db, experimentId: number, expr: string): HistogramBin[] {
  const range = db.$client
    .prepare(`SELECT min(${expr}) lo, max(${expr}) hi FROM rollouts WHERE experiment_id = ? AND status != 'running'`)
    .get(experimentId) as { lo: number | null; hi: number | null };
  if (range.lo === null || range.hi === null) return [];
  const lo = range.lo;
  const width = Math.max(1, Math.ceil((range.hi - lo + 1) / BINS));
  const rows = db.$client
    .prepare(
      `SELECT CAST((${expr} - @lo) / @width AS INTEGER) AS b, count(*) n FROM rollouts
       WHERE experiment_id = @id AND status != 'running' GROUP BY b ORDER BY b`,
    )
    .all({ lo, width, id: experimentId }) as { b: number; n: number }[];
  const nBins = Math.floor((range.hi - lo) / width) + 1;
  const bins: HistogramBin[] = Array.from({ length: nBins }, (_, i) => ({ lo: lo + i * width, hi: lo + (i + 1) * width, count: 0 }));
  for (const r of rows) if (bins[r.b]) bins[r.b].count = r.n;
  return bins;
}

export function computeOverview(db: Db, experimentId: number): ExperimentOverviewResponse {
  const exp = getExperimentRow(db, experimentId);
  if (!exp) throw new NotFoundError(`experiment ${experimentId} not found`);
  const key = `${exp.rolloutsDone}:${exp.updatedAt}:${exp.status}`;
  const hit = cache().get(experimentId);
  if (hit && hit.key === key) return hit.value;

  const c = db.$client;
  const groups = c.prepare(`SELECT done n, passed c FROM groups WHERE experiment_id = ?`).all(experimentId) as { n: number; c: number }[];
  const pass_hat_k = Array.from({ length: exp.groupSize }, (_, i) => ({ k: i + 1, value: passHatK(groups, i + 1) }));

  const cells = (
    c
      .prepare(
        `SELECT writes, evidence_cell evidence, count(*) n, sum(outcome) passed,
                avg(prompt_tokens + completion_tokens) tokens, avg(turns) turns
         FROM rollouts WHERE experiment_id = ? AND status != 'running'
         GROUP BY writes, evidence_cell ORDER BY writes, evidence_cell`,
      )
      .all(experimentId) as { writes: number | null; evidence: number | null; n: number; passed: number; tokens: number; turns: number }[]
  ).map(
    (r): WBCell => ({
      writes: r.writes,
      evidence: r.evidence,
      n: r.n,
      passed: r.passed ?? 0,
      pass_rate: r.n ? (r.passed ?? 0) / r.n : 0,
      mean_tokens: r.tokens ?? 0,
      mean_turns: r.turns ?? 0,
    }),
  );

  const terminations: Partial<Record<Termination, number>> = {};
  for (const r of c
    .prepare(`SELECT termination t, count(*) n FROM rollouts WHERE experiment_id = ? AND status != 'running' GROUP BY termination`)
    .all(experimentId) as { t: Termination | null; n: number }[]) {
    if (r.t) terminations[r.t] = r.n;
  }

  const policy_violations: Record<string, number> = {};
  for (const r of c
    .prepare(`SELECT rule, count FROM experiment_policy_counts WHERE experiment_id = ? ORDER BY count DESC`)
    .all(experimentId) as { rule: string; count: number }[]) {
    policy_violations[r.rule] = r.count;
  }
  const withViolations = (
    c.prepare(`SELECT count(*) n FROM rollouts WHERE experiment_id = ? AND violation_count > 0`).get(experimentId) as { n: number }
  ).n;

  const rate = <R extends { n: number; passed: number | null }>(rows: R[]) =>
    rows.map((r) => ({ ...r, passed: r.passed ?? 0, pass_rate: r.n ? (r.passed ?? 0) / r.n : 0 }));
  const behaviors = rate(
    c
      .prepare(`SELECT behavior, count(*) n, sum(outcome) passed FROM rollouts WHERE experiment_id = ? AND status != 'running' GROUP BY behavior`)
      .all(experimentId) as { behavior: string | null; n: number; passed: number | null }[],
  );
  const presets = rate(
    c
      .prepare(
        `SELECT preset, count(*) n, sum(outcome) passed FROM rollouts
         WHERE experiment_id = ? AND status != 'running' AND preset IS NOT NULL GROUP BY preset`,
      )
      .all(experimentId) as { preset: string; n: number; passed: number | null }[],
  );

  const value: ExperimentOverviewResponse = {
    experiment_id: experimentId,
    rollouts_done: exp.rolloutsDone,
    pass_rate: exp.rolloutsDone ? exp.rolloutsPassed / exp.rolloutsDone : null,
    pass_hat_k,
    cells,
    turns_histogram: histogram(db, experimentId, "turns"),
    tokens_histogram: histogram(db, experimentId, "(prompt_tokens + completion_tokens)"),
    terminations,
    policy_violations,
    rollouts_with_violations: withViolations,
    behaviors,
    presets,
    computed_at: Date.now(),
  };
  cache().set(experimentId, { key, value });
  return value;
}
