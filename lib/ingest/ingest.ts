/**
 * One ingestion batch (POST /api/v1/ingest): events applied in order in ONE immediate
 * transaction, each inside its own savepoint, so a bad event (or one that fails unexpectedly)
 * rolls back alone and is reported by its id while the good ones beside it land.
 *
 * Idempotency on natural keys (docs/training-integration.md §6):
 *  - run.upsert (run_id): creates the run (201), or updates name / trainer / project / group
 *    size / config (200) and reopens a finished run; a different task set is a 409.
 *  - group.create (run_id, group_id): a new group is scored and stored (201); the same content
 *    again is a no-op (200); different content under that group id is a 409, and so is a
 *    trajectory id the run already holds in another group. Steps may arrive in any order.
 *  - run.finish (run_id): marks the run completed (or failed); again is a no-op (200).
 * An unknown run is a 404 for that event, a task id outside the run's task set a 400.
 */
import type { Db } from "../../db/client";
import { groupIdFor, rolloutIdFor } from "../rollouts/store/run-tasks";
import { parseEvent, type EventError, type GroupCreateBody, type IngestTrajectory, type ParsedEvent, type RunFinishBody, type RunUpsertBody } from "./events";
import { insertTrajectoryRows, planMessageRows, type MessageRowPlan } from "./store/message-rows";
import { inImmediateTransaction, inSavepoint } from "./store/transactions";
import { scoreTrajectory, type ScoredTrajectory } from "./score";
import type { Message } from "../types/messages";
import {
  bumpTrainingRun,
  findTrainingGroup,
  findTrainingRollout,
  findTrainingRun,
  finishTrainingRun,
  insertTrainingGroup,
  insertTrainingRollout,
  insertTrainingRun,
  nextGroupPosition,
  updateTrainingRun,
} from "./store/training-runs";
import { resolveTaskSet, runTask } from "./task-sets";

export interface EventSuccess {
  id: string;
  status: 200 | 201;
  /** The run's experiment id (every event names a run). */
  experiment_id?: number;
  /** group.create: WRIT Lab's group id (`g-…`, the rollout browser's URL) and its passes. */
  group?: string;
  passed?: number;
  /** True when the event changed nothing (a replay). */
  unchanged?: boolean;
}

export interface IngestResult {
  successes: EventSuccess[];
  errors: EventError[];
  /** Agent turns stored by this batch (bench and logs). */
  turns: number;
}

/** An expected per-event failure: becomes one entry of `errors`. */
class EventFailure extends Error {
  constructor(
    readonly status: number,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

function upsertRun(db: Db, b: RunUpsertBody, now: number): Omit<EventSuccess, "id"> {
  const set = resolveTaskSet(db, b.task_set);
  if (!set) throw new EventFailure(400, "body.task_set", `no task set with id or name ${JSON.stringify(b.task_set)}`);
  const existing = findTrainingRun(db, b.run_id);
  const fields = {
    name: b.name ?? existing?.name ?? b.run_id,
    trainer: b.trainer ?? existing?.trainer ?? null,
    project: b.project ?? existing?.project ?? null,
    groupSize: b.group_size ?? existing?.groupSize ?? 0,
    runConfig: b.config ?? existing?.runConfig ?? null,
    now,
  };
  if (!existing) {
    const id = insertTrainingRun(db, { ...fields, externalRunId: b.run_id, taskSetId: set.id });
    return { status: 201, experiment_id: id };
  }
  if (existing.taskSetId !== set.id) {
    throw new EventFailure(409, "body.task_set", `run "${b.run_id}" is on task set ${existing.taskSetId ?? "(deleted)"}, not ${set.id} ("${set.name}")`);
  }
  const same =
    existing.status === "running" &&
    fields.name === existing.name &&
    fields.trainer === existing.trainer &&
    fields.project === existing.project &&
    fields.groupSize === existing.groupSize &&
    JSON.stringify(fields.runConfig) === JSON.stringify(existing.runConfig);
  if (!same) updateTrainingRun(db, existing.id, fields);
  return { status: 200, experiment_id: existing.id, ...(same ? { unchanged: true } : {}) };
}

/**
 * A trajectory as createGroup stores it: the parsed one (messages in memory), or the ingest
 * thread's form, where the request thread already planned the message rows and kept the
 * message objects (the messages are the bodies parsed back, if a fallback needs them).
 */
export type StoreTrajectory = Omit<IngestTrajectory, "messages"> & { messages?: Message[]; plan?: MessageRowPlan };

/**
 * Scores the request thread computed before the transaction (lib/ingest/prepare.ts) for the
 * task `taskId` of task set `taskSetId`; used only when the run turns out to be on that set.
 * Class rows carry placeholder ids (their blob does not depend on them).
 */
export interface PreScored {
  taskSetId: number;
  taskId: string;
  trajectories: ScoredTrajectory[];
}

export type StoreGroupBody = Omit<GroupCreateBody, "trajectories"> & { trajectories: StoreTrajectory[]; scored?: PreScored };

/** An event ready to store: parsed (or its parse error), groups possibly pre-scored. */
export type StoreEvent = EventError | Exclude<ParsedEvent, { type: "group.create" }> | { id: string; type: "group.create"; body: StoreGroupBody };

const messagesOf = (t: StoreTrajectory): Message[] => t.messages ?? t.bodies.map((b) => JSON.parse(b) as Message);

function createGroup(db: Db, b: StoreGroupBody, now: number): Omit<EventSuccess, "id"> & { turns: number } {
  const run = findTrainingRun(db, b.runId);
  if (!run) throw new EventFailure(404, "body.run_id", `no training run "${b.runId}" (send run.upsert first)`);
  const existing = findTrainingGroup(db, run.id, b.groupId);
  if (existing) {
    if (existing.contentHash === b.contentHash) return { status: 200, experiment_id: run.id, group: existing.id, unchanged: true, turns: 0 };
    throw new EventFailure(409, "body.group_id", `group "${b.groupId}" of run "${b.runId}" was already stored with different content`);
  }
  if (run.taskSetId === null) throw new EventFailure(409, "body.run_id", `the task set of run "${b.runId}" was deleted`);
  const rt = runTask(db, run.taskSetId, b.taskId);
  if (!rt) throw new EventFailure(400, "body.task_id", `task "${b.taskId}" is not in the run's task set (id ${run.taskSetId})`);
  b.trajectories.forEach((t, i) => {
    const other = findTrainingRollout(db, run.id, t.trajectoryId);
    if (other) throw new EventFailure(409, `body.trajectories.${i}.trajectory_id`, `trajectory "${t.trajectoryId}" is already stored in another group of run "${b.runId}"`);
  });

  const position = nextGroupPosition(db, run.id);
  const groupId = groupIdFor(run.id, position);
  const { ref } = rt;
  let passed = 0;
  let rewardSum = 0;
  let errored = 0;
  let promptTokens = 0;
  let completionTokens = 0;
  let turns = 0;
  const pre = b.scored && b.scored.taskSetId === run.taskSetId && b.scored.taskId === b.taskId && b.scored.trajectories.length === b.trajectories.length ? b.scored : null;
  const rows = b.trajectories.map((t, sample) => {
    const id = rolloutIdFor(run.id, position, sample);
    const s = pre
      ? { ...pre.trajectories[sample], classRow: { ...pre.trajectories[sample].classRow, rolloutId: id, experimentId: run.id } }
      : scoreTrajectory({ rolloutId: id, experimentId: run.id }, rt.task, rt.baseState, messagesOf(t), t.termination);
    passed += s.outcome;
    rewardSum += s.reward;
    if (s.termination === "error") errored++;
    promptTokens += s.promptTokens;
    completionTokens += s.completionTokens;
    turns += s.classRow.nTurns;
    return { t, id, s, sample };
  });
  insertTrainingGroup(db, {
    id: groupId,
    experimentId: run.id,
    taskId: b.taskId,
    position,
    writes: ref.writes,
    evidenceTotal: ref.evidenceTotal,
    evidenceCell: ref.evidenceCell,
    behavior: ref.behavior,
    size: rows.length,
    done: rows.length,
    passed,
    meanReward: rewardSum / rows.length,
    step: b.step,
    split: b.split,
    policyVersion: b.policyVersion,
    externalId: b.groupId,
    contentHash: b.contentHash,
    createdAt: now,
  });
  for (const { t, id, s, sample } of rows) {
    const preset = typeof t.metadata?.preset === "string" ? t.metadata.preset : null;
    insertTrainingRollout(db, {
      id,
      experimentId: run.id,
      groupId,
      taskId: b.taskId,
      sampleIndex: sample,
      status: s.termination === "error" ? "error" : "done",
      outcome: s.outcome,
      reward: s.reward,
      termination: s.termination,
      turns: s.turns,
      promptTokens: s.promptTokens,
      completionTokens: s.completionTokens,
      writes: ref.writes,
      evidenceTotal: ref.evidenceTotal,
      evidenceCell: ref.evidenceCell,
      behavior: ref.behavior,
      preset,
      violations: s.violations,
      errorCount: s.errorCount,
      metadata: { ...(t.metadata ?? {}), trajectory_id: t.trajectoryId, group_id: b.groupId, step: b.step, turns: s.turns, errors: s.errorCount, evaluation: s.evaluation },
      step: b.step,
      split: b.split,
      externalId: t.trajectoryId,
      contentHash: t.contentHash,
      trainerReward: t.reward,
      trainerRewardComponents: t.rewardComponents,
      trainerAdvantage: t.advantage,
      trainerTurnAdvantages: t.turnAdvantages,
      createdAt: now,
    });
  }
  // Messages of the whole group in multi-row statements, then the class rows (same rows and order as one by one).
  insertTrajectoryRows(
    db,
    rows.map(({ t, id }) => ({ rolloutId: id, plan: t.plan ?? planMessageRows(messagesOf(t), t.bodies) })),
    rows.map(({ s }) => s.classRow),
  );
  bumpTrainingRun(db, run.id, { n: rows.length, passed, errored, promptTokens, completionTokens, now });
  return { status: 201, experiment_id: run.id, group: groupId, passed, turns };
}

function finishRun(db: Db, b: RunFinishBody, now: number): Omit<EventSuccess, "id"> {
  const run = findTrainingRun(db, b.run_id);
  if (!run) throw new EventFailure(404, "body.run_id", `no training run "${b.run_id}"`);
  const status = b.status ?? "completed";
  if (run.status === status) return { status: 200, experiment_id: run.id, unchanged: true };
  finishTrainingRun(db, run.id, status, status === "failed" ? (b.error ?? "the trainer reported a failure") : null, now);
  return { status: 200, experiment_id: run.id };
}

function applyEvent(db: Db, e: Exclude<StoreEvent, EventError>, now: number): Omit<EventSuccess, "id"> & { turns?: number } {
  if (e.type === "run.upsert") return upsertRun(db, e.body, now);
  if (e.type === "group.create") return createGroup(db, e.body, now);
  return finishRun(db, e.body, now);
}

/** An empty result to fill with applyStoreEvent. */
export const emptyIngestResult = (): IngestResult => ({ successes: [], errors: [], turns: 0 });

/**
 * One event inside the caller's transaction, in its own savepoint: a failure undoes this
 * event's rows only and becomes its entry in `result.errors`; never throws for a bad event.
 */
export function applyStoreEvent(db: Db, e: StoreEvent, now: number, result: IngestResult): void {
  if ("status" in e) {
    result.errors.push(e);
    return;
  }
  try {
    const r = inSavepoint(db, () => applyEvent(db, e, now));
    const { turns, ...success } = r;
    result.turns += turns ?? 0;
    result.successes.push({ id: e.id, ...success });
  } catch (err) {
    if (err instanceof EventFailure) result.errors.push({ id: e.id, status: err.status, message: err.message, field: err.field });
    else {
      console.error(`[ingest] event ${e.id} failed`, err);
      result.errors.push({ id: e.id, status: 500, message: "internal error while storing this event (retry it; the server log has the cause)", field: "body" });
    }
  }
}

/**
 * Apply a parsed envelope's events (`batch` as sent) on this thread, in one immediate
 * transaction; never throws for a bad event. The reference path: the ingest thread
 * (lib/ingest/store/thread.ts) stores the same rows.
 */
export function ingestBatch(db: Db, batch: readonly unknown[]): IngestResult {
  const parsed = batch.map((raw, i) => parseEvent(raw, i));
  const result = emptyIngestResult();
  const now = Date.now();
  inImmediateTransaction(db, () => {
    for (const e of parsed) applyStoreEvent(db, e, now, result);
  });
  return result;
}
