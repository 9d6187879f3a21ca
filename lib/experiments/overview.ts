/**
 * The experiment overview: pass^k, W × B cells, turn/token histograms, termination counts,
 * policy violations by rule, per-behaviour and per-preset pass rates. Everything is an
 * aggregate over summary columns (never message bodies); policy counts come from the
 * incrementally maintained experiment_policy_counts table (checkPolicy runs once per rollout,
 * in the worker). Results are cached per process until the experiment's counters move.
 * The reads are store/overview.ts's.
 */
import type { Db } from "../../db/client";
import { createCache } from "../cache/lru";
import { NotFoundError } from "../errors/app-error";
import { passHatK } from "../rollouts/evaluate";
import type { Termination } from "../types/messages";
import type { ExperimentOverviewResponse, HistogramBin, WBCell } from "./api-types";
import { getExperimentRow } from "./store/experiments";
import { readOverviewRows } from "./store/overview";

const BINS = 20;

interface CacheEntry {
  key: string;
  value: ExperimentOverviewResponse;
}
const overviewCache = createCache<CacheEntry>({
  name: "experiments.overview",
  maxEntries: 256,
  purpose: "experiment overviews by experiment id, valid while the experiment's counters stay the same",
});

/** Equal-width integer bins over [min, max] (the last bin includes max). */
export function binValues(values: ArrayLike<number>, bins = BINS): HistogramBin[] {
  if (values.length === 0) return [];
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < lo) lo = values[i];
    if (values[i] > hi) hi = values[i];
  }
  const width = Math.max(1, Math.ceil((hi - lo + 1) / bins));
  const n = Math.floor((hi - lo) / width) + 1;
  const out: HistogramBin[] = Array.from({ length: n }, (_, i) => ({ lo: lo + i * width, hi: lo + (i + 1) * width, count: 0 }));
  for (let i = 0; i < values.length; i++) out[Math.floor((values[i] - lo) / width)].count++;
  return out;
}

export function computeOverview(db: Db, experimentId: number): ExperimentOverviewResponse {
  const exp = getExperimentRow(db, experimentId);
  if (!exp) throw new NotFoundError(`experiment ${experimentId} not found`);
  const key = `${exp.rolloutsDone}:${exp.updatedAt}:${exp.status}`;
  const hit = overviewCache.get(String(experimentId));
  if (hit && hit.key === key) return hit.value;

  const { groups, rollouts: rows, policy } = readOverviewRows(db, experimentId);
  const pass_hat_k = Array.from({ length: exp.groupSize }, (_, i) => ({ k: i + 1, value: passHatK(groups, i + 1) }));

  // One pass over the summary columns (100k rows ≈ tens of ms), aggregated here rather than in 7 scans.
  const cellMap = new Map<string, { writes: number | null; evidence: number | null; n: number; passed: number; tokens: number; turns: number }>();
  const terminations: Partial<Record<Termination, number>> = {};
  const byBehavior = new Map<string | null, { n: number; passed: number }>();
  const byPreset = new Map<string, { n: number; passed: number }>();
  const turns = new Float64Array(rows.length);
  const tokens = new Float64Array(rows.length);
  let withViolations = 0;
  rows.forEach((r, i) => {
    const [w, b, term, behavior, preset, outcome, t, tok, v] = r;
    const pass = outcome === 1 ? 1 : 0;
    const key = `${w}:${b}`;
    let cell = cellMap.get(key);
    if (!cell) cellMap.set(key, (cell = { writes: w, evidence: b, n: 0, passed: 0, tokens: 0, turns: 0 }));
    cell.n++;
    cell.passed += pass;
    cell.tokens += tok;
    cell.turns += t;
    if (term) terminations[term] = (terminations[term] ?? 0) + 1;
    const bh = byBehavior.get(behavior) ?? { n: 0, passed: 0 };
    bh.n++;
    bh.passed += pass;
    byBehavior.set(behavior, bh);
    if (preset !== null) {
      const pr = byPreset.get(preset) ?? { n: 0, passed: 0 };
      pr.n++;
      pr.passed += pass;
      byPreset.set(preset, pr);
    }
    if (v !== null && v > 0) withViolations++;
    turns[i] = t;
    tokens[i] = tok;
  });
  const order = (x: number | null) => (x === null ? Infinity : x);
  const cells: WBCell[] = [...cellMap.values()]
    .sort((a, b) => order(a.writes) - order(b.writes) || order(a.evidence) - order(b.evidence))
    .map((x) => ({ writes: x.writes, evidence: x.evidence, n: x.n, passed: x.passed, pass_rate: x.passed / x.n, mean_tokens: x.tokens / x.n, mean_turns: x.turns / x.n }));

  const policy_violations: Record<string, number> = {};
  for (const r of policy) policy_violations[r.rule] = r.count;
  const behaviors = [...byBehavior].map(([behavior, x]) => ({ behavior, n: x.n, passed: x.passed, pass_rate: x.passed / x.n }));
  const presets = [...byPreset].map(([preset, x]) => ({ preset, n: x.n, passed: x.passed, pass_rate: x.passed / x.n }));

  const value: ExperimentOverviewResponse = {
    experiment_id: experimentId,
    rollouts_done: exp.rolloutsDone,
    pass_rate: exp.rolloutsDone ? exp.rolloutsPassed / exp.rolloutsDone : null,
    pass_hat_k,
    cells,
    turns_histogram: binValues(turns),
    tokens_histogram: binValues(tokens),
    terminations,
    policy_violations,
    rollouts_with_violations: withViolations,
    behaviors,
    presets,
    computed_at: Date.now(),
  };
  overviewCache.set(String(experimentId), { key, value });
  return value;
}
