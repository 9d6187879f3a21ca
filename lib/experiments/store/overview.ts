/**
 * The reads behind the experiment overview (../overview.ts aggregates them): group pass
 * counts, one row of summary columns per finished rollout (never message bodies) and the
 * incrementally maintained experiment_policy_counts.
 */
import type { Db } from "../../../db/client";
import type { Termination } from "../../types/messages";

export type OverviewRolloutRow = [
  writes: number | null,
  cell: number | null,
  termination: Termination | null,
  behavior: string | null,
  preset: string | null,
  outcome: number | null,
  turns: number,
  tokens: number,
  violations: number | null,
];

export interface OverviewRows {
  /** Per group: samples done (n) and passed (c), for pass^k. */
  groups: { n: number; c: number }[];
  rollouts: OverviewRolloutRow[];
  /** Policy violation counts by rule, most frequent first. */
  policy: { rule: string; count: number }[];
}

export function readOverviewRows(db: Db, experimentId: number): OverviewRows {
  const c = db.$client;
  const groups = c.prepare(`SELECT done n, passed c FROM groups WHERE experiment_id = ?`).all(experimentId) as { n: number; c: number }[];
  // One pass over the summary columns (100k rows ≈ tens of ms), aggregated by the caller rather than in 7 scans.
  const rollouts = c
    .prepare(
      `SELECT writes, evidence_cell, termination, behavior, preset, outcome, turns, prompt_tokens + completion_tokens, violation_count
       FROM rollouts WHERE experiment_id = ? AND status != 'running'`,
    )
    .raw()
    .all(experimentId) as OverviewRolloutRow[];
  const policy = c
    .prepare(`SELECT rule, count FROM experiment_policy_counts WHERE experiment_id = ? ORDER BY count DESC`)
    .all(experimentId) as { rule: string; count: number }[];
  return { groups, rollouts, policy };
}
