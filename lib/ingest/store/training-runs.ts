/**
 * Training runs in the database: the data access of the ingestion API (lib/ingest/ingest.ts).
 *
 * MODEL (additive on the experiment tables, so every existing view works on a run unchanged):
 *  - A training run is an `experiments` row with `source = 'training'`, `external_run_id` =
 *    the client's run id (unique where not null), `trainer`, `project`, `run_config` (the
 *    trainer's config JSON), `status` 'running' until run.finish ('completed' | 'failed'),
 *    `name` = the run's name, `task_set_id` = the task set it was declared on,
 *    `agent_config = {kind: "training", label: "training run (<trainer>)"}`.
 *    `rollouts_total` grows with each group that lands (runs have no fixed size).
 *  - A group is a `groups` row `g-<exp>-<position>` (position = arrival order) with `step`,
 *    `split` ('train' | 'eval'), `policy_version`, `external_id` = the client's group id
 *    (unique per run) and `content_hash`. W / B / behaviour come from the task as for runs.
 *  - A trajectory is a `rollouts` row `r-<exp>-<position>-<sample>` (sample = order in the
 *    group), status 'done' (or 'error' when the trainer says termination "error"), with
 *    WRIT Lab's own `outcome` / `reward` (the airline evaluator), `violations` (policy
 *    checker) and a `rollout_classes` row (the classifier's per-turn tiers, default key),
 *    exactly like a played rollout. Beside them the trainer's numbers: `trainer_reward`,
 *    `trainer_reward_components`, `trainer_advantage`, `trainer_turn_advantages` (index k =
 *    the k-th agent turn), plus `step` / `split` copied from the group, `external_id` = the
 *    client's trajectory id (unique per run) and `content_hash`. Messages go to
 *    `rollout_messages` / `message_contents` through db/queries/rollouts.ts.
 *  - Counters (experiments.rollouts_done/passed, groups.done/passed/mean_reward,
 *    experiment_policy_counts) are bumped in the same transaction as the rows.
 *
 * QUERIES the timeline and step slices should use (indexes):
 *  - groups of a run by step: `groups_experiment_step_idx (experiment_id, step, position)`;
 *  - per-step aggregates over rollouts: `rollouts_exp_step_idx (experiment_id, step, outcome)`
 *    (pass rate per step is a covering scan: see listRunSteps);
 *  - rollout ids of a step range: the same index, then rollout_classes by rollout id.
 * The workbench's in-memory store (lib/calibration/experiment-data.ts) picks up new groups by itself:
 * every access counts finished rollouts and appends the new ones.
 *
 * Statements are prepared once per connection (a step of 512 trajectories is thousands of rows).
 */
import type Database from "better-sqlite3";
import type { Db } from "../../../db/client";
import type { StoredViolation } from "../../../db/queries/rollouts";
import type { ExperimentStatus } from "../../../db/schema";

export interface TrainingRunRow {
  id: number;
  name: string;
  externalRunId: string;
  taskSetId: number | null;
  status: ExperimentStatus;
  trainer: string | null;
  project: string | null;
  groupSize: number;
  runConfig: Record<string, unknown> | null;
}

export interface NewTrainingRun {
  externalRunId: string;
  name: string;
  taskSetId: number;
  trainer: string | null;
  project: string | null;
  groupSize: number;
  runConfig: Record<string, unknown> | null;
  now: number;
}

export interface TrainingGroupInsert {
  id: string;
  experimentId: number;
  taskId: string;
  position: number;
  writes: number | null;
  evidenceTotal: number | null;
  evidenceCell: number | null;
  behavior: string | null;
  size: number;
  done: number;
  passed: number;
  meanReward: number | null;
  step: number;
  split: "train" | "eval";
  policyVersion: number | null;
  externalId: string;
  contentHash: string;
  createdAt: number;
}

export interface TrainingRolloutInsert {
  id: string;
  experimentId: number;
  groupId: string;
  taskId: string;
  sampleIndex: number;
  status: "done" | "error";
  outcome: 0 | 1;
  reward: number;
  termination: string;
  turns: number;
  promptTokens: number;
  completionTokens: number;
  writes: number | null;
  evidenceTotal: number | null;
  evidenceCell: number | null;
  behavior: string | null;
  preset: string | null;
  violations: StoredViolation[];
  errorCount: number;
  metadata: Record<string, unknown>;
  step: number;
  split: "train" | "eval";
  externalId: string;
  contentHash: string;
  trainerReward: number | null;
  trainerRewardComponents: Record<string, number | null> | null;
  trainerAdvantage: number | null;
  trainerTurnAdvantages: (number | null)[] | null;
  createdAt: number;
}

const RUN_COLUMNS = `id, name, external_run_id AS externalRunId, task_set_id AS taskSetId, status, trainer, project,
  group_size AS groupSize, run_config AS runConfig`;

function build(c: Database.Database) {
  return {
    findRun: c.prepare(`SELECT ${RUN_COLUMNS} FROM experiments WHERE external_run_id = ?`),
    insertRun: c.prepare(
      `INSERT INTO experiments (name, task_set_id, agent_config, user_config, group_size, max_turns, max_errors, status, source,
         external_run_id, trainer, project, run_config, created_at, updated_at, started_at)
       VALUES (@name, @taskSetId, @agentConfig, '{"kind":"training","label":"user (from the trainer)"}', @groupSize, 0, 0, 'running', 'training',
         @externalRunId, @trainer, @project, @runConfig, @now, @now, @now) RETURNING id`,
    ),
    updateRun: c.prepare(
      `UPDATE experiments SET name = @name, trainer = @trainer, project = @project, group_size = @groupSize, run_config = @runConfig,
         agent_config = @agentConfig, status = 'running', error = NULL, finished_at = NULL, updated_at = @now WHERE id = @id`,
    ),
    finishRun: c.prepare(`UPDATE experiments SET status = @status, error = @error, finished_at = @now, updated_at = @now WHERE id = @id`),
    findGroup: c.prepare(`SELECT id, content_hash AS contentHash FROM groups WHERE experiment_id = ? AND external_id = ?`),
    findRollout: c.prepare(`SELECT group_id AS groupId, content_hash AS contentHash FROM rollouts WHERE experiment_id = ? AND external_id = ?`),
    nextPosition: c.prepare(`SELECT coalesce(max(position) + 1, 0) FROM groups WHERE experiment_id = ?`).pluck(),
    insertGroup: c.prepare(
      `INSERT INTO groups (id, experiment_id, task_id, position, writes, evidence_total, evidence_cell, behavior, size, done, passed,
         mean_reward, step, split, policy_version, external_id, content_hash, created_at)
       VALUES (@id, @experimentId, @taskId, @position, @writes, @evidenceTotal, @evidenceCell, @behavior, @size, @done, @passed,
         @meanReward, @step, @split, @policyVersion, @externalId, @contentHash, @createdAt)`,
    ),
    insertRollout: c.prepare(
      `INSERT INTO rollouts (id, experiment_id, group_id, task_id, sample_index, status, outcome, reward, termination, turns,
         prompt_tokens, completion_tokens, writes, evidence_total, evidence_cell, behavior, preset, violations, violation_count,
         error_count, metadata, step, split, external_id, content_hash, trainer_reward, trainer_reward_components,
         trainer_advantage, trainer_turn_advantages, created_at, finished_at)
       VALUES (@id, @experimentId, @groupId, @taskId, @sampleIndex, @status, @outcome, @reward, @termination, @turns,
         @promptTokens, @completionTokens, @writes, @evidenceTotal, @evidenceCell, @behavior, @preset, @violations, @violationCount,
         @errorCount, @metadata, @step, @split, @externalId, @contentHash, @trainerReward, @trainerRewardComponents,
         @trainerAdvantage, @trainerTurnAdvantages, @createdAt, @createdAt)`,
    ),
    bumpRun: c.prepare(
      `UPDATE experiments SET rollouts_total = rollouts_total + @n, rollouts_done = rollouts_done + @n,
         rollouts_passed = rollouts_passed + @passed, rollouts_errored = rollouts_errored + @errored,
         prompt_tokens = prompt_tokens + @promptTokens, completion_tokens = completion_tokens + @completionTokens,
         group_size = CASE WHEN group_size = 0 THEN @n ELSE group_size END, updated_at = @now WHERE id = @id`,
    ),
    bumpPolicy: c.prepare(
      `INSERT INTO experiment_policy_counts (experiment_id, rule, count, rollouts) VALUES (?, ?, ?, 1)
       ON CONFLICT(experiment_id, rule) DO UPDATE SET count = count + excluded.count, rollouts = rollouts + 1`,
    ),
    steps: c.prepare(
      `SELECT step, count(*) AS rollouts, sum(outcome) AS passed FROM rollouts
       WHERE experiment_id = ? AND step IS NOT NULL GROUP BY step ORDER BY step`,
    ),
  };
}

type Statements = ReturnType<typeof build>;
const cache = new WeakMap<Database.Database, Statements>();
function st(db: Db): Statements {
  let s = cache.get(db.$client);
  if (!s) cache.set(db.$client, (s = build(db.$client)));
  return s;
}

const trainingAgentConfig = (trainer: string | null) => JSON.stringify({ kind: "training", label: trainer ? `training run (${trainer})` : "training run" });

/** A row as findRun (RUN_COLUMNS) reads it: run_config still JSON text. */
type StoredRunRow = Omit<TrainingRunRow, "runConfig"> & { runConfig: unknown };

function runOf(row: StoredRunRow | undefined): TrainingRunRow | undefined {
  if (!row) return undefined;
  return { ...row, runConfig: typeof row.runConfig === "string" ? (JSON.parse(row.runConfig) as Record<string, unknown>) : null };
}

export function findTrainingRun(db: Db, externalRunId: string): TrainingRunRow | undefined {
  return runOf(st(db).findRun.get(externalRunId) as StoredRunRow | undefined);
}

export function insertTrainingRun(db: Db, r: NewTrainingRun): number {
  const row = st(db).insertRun.get({
    name: r.name,
    taskSetId: r.taskSetId,
    agentConfig: trainingAgentConfig(r.trainer),
    groupSize: r.groupSize,
    externalRunId: r.externalRunId,
    trainer: r.trainer,
    project: r.project,
    runConfig: r.runConfig ? JSON.stringify(r.runConfig) : null,
    now: r.now,
  }) as { id: number };
  return row.id;
}

/** New name / trainer / project / group size / config; reopens a finished run (a resumed trainer). */
export function updateTrainingRun(db: Db, id: number, r: Omit<NewTrainingRun, "externalRunId" | "taskSetId">): void {
  st(db).updateRun.run({
    id,
    name: r.name,
    trainer: r.trainer,
    project: r.project,
    groupSize: r.groupSize,
    runConfig: r.runConfig ? JSON.stringify(r.runConfig) : null,
    agentConfig: trainingAgentConfig(r.trainer),
    now: r.now,
  });
}

export function finishTrainingRun(db: Db, id: number, status: "completed" | "failed", error: string | null, now: number): void {
  st(db).finishRun.run({ id, status, error, now });
}

export function findTrainingGroup(db: Db, experimentId: number, externalGroupId: string): { id: string; contentHash: string | null } | undefined {
  return st(db).findGroup.get(experimentId, externalGroupId) as { id: string; contentHash: string | null } | undefined;
}

export function findTrainingRollout(db: Db, experimentId: number, trajectoryId: string): { groupId: string; contentHash: string | null } | undefined {
  return st(db).findRollout.get(experimentId, trajectoryId) as { groupId: string; contentHash: string | null } | undefined;
}

export function nextGroupPosition(db: Db, experimentId: number): number {
  return st(db).nextPosition.get(experimentId) as number;
}

export function insertTrainingGroup(db: Db, g: TrainingGroupInsert): void {
  st(db).insertGroup.run(g);
}

/** The finished rollout row (messages and class row are written by the caller, same transaction). */
export function insertTrainingRollout(db: Db, r: TrainingRolloutInsert): void {
  const s = st(db);
  s.insertRollout.run({
    ...r,
    violations: JSON.stringify(r.violations),
    violationCount: r.violations.length,
    metadata: JSON.stringify(r.metadata),
    trainerRewardComponents: r.trainerRewardComponents ? JSON.stringify(r.trainerRewardComponents) : null,
    trainerTurnAdvantages: r.trainerTurnAdvantages ? JSON.stringify(r.trainerTurnAdvantages) : null,
  });
  const byRule = new Map<string, number>();
  for (const v of r.violations) byRule.set(v.rule, (byRule.get(v.rule) ?? 0) + 1);
  for (const [rule, n] of byRule) s.bumpPolicy.run(r.experimentId, rule, n);
}

/** The run's counters after a group landed. */
export function bumpTrainingRun(
  db: Db,
  id: number,
  d: { n: number; passed: number; errored: number; promptTokens: number; completionTokens: number; now: number },
): void {
  st(db).bumpRun.run({ id, ...d });
}

export interface RunStepRow {
  step: number;
  rollouts: number;
  passed: number;
}

/** Rollouts and passes per step, ascending (one covering scan of rollouts_exp_step_idx). */
export function listRunSteps(db: Db, experimentId: number): RunStepRow[] {
  return st(db).steps.all(experimentId) as RunStepRow[];
}
