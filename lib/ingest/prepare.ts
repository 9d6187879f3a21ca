/**
 * The request thread's half of a threaded ingest (lib/ingest/store/thread.ts): everything that
 * needs no write, done before the ingest thread's transaction gets the event, so the two threads
 * work side by side (this one parses and scores group k+1 while the other stores group k).
 *
 * - The run's task set is read here (committed data, or a run.upsert earlier in the batch) and
 *   each trajectory is scored against it (evaluator, policy checker, classifier); a group that
 *   is already stored is not scored (a replay costs a lookup). The store side checks the run
 *   is really on that set and task, and scores itself otherwise (lib/ingest/ingest.ts), so a
 *   race with another writer can only cost time, never store a wrong score.
 * - Message rows are planned here (plain strings) and the message objects stay behind: copying
 *   strings to the other thread is cheap, copying tens of thousands of objects is not.
 */
import type { Db } from "../../db/client";
import type { EventError, ParsedEvent } from "./events";
import type { StoreEvent } from "./ingest";
import { planMessageRows } from "./store/message-rows";
import { scoreTrajectory } from "./score";
import { findTrainingGroup, findTrainingRun } from "./store/training-runs";
import { resolveTaskSet, runTask } from "./task-sets";

/** Run id → task set id, learned from the database or from the batch's run.upsert events. */
export type RunSets = Map<string, { runId: number | null; taskSetId: number | null }>;

function runOf(db: Db, runs: RunSets, runId: string): { runId: number | null; taskSetId: number | null } {
  let r = runs.get(runId);
  if (!r) {
    const row = findTrainingRun(db, runId);
    r = { runId: row?.id ?? null, taskSetId: row?.taskSetId ?? null };
    runs.set(runId, r);
  }
  return r;
}

export function prepareEvent(db: Db, e: ParsedEvent | EventError, runs: RunSets): StoreEvent {
  if ("status" in e || e.type === "run.finish") return e;
  if (e.type === "run.upsert") {
    const r = runOf(db, runs, e.body.run_id);
    // A new run: its groups in this batch are scored on the set the upsert names.
    if (r.runId === null && r.taskSetId === null) r.taskSetId = resolveTaskSet(db, e.body.task_set)?.id ?? null;
    return e;
  }
  const b = e.body;
  const run = runOf(db, runs, b.runId);
  let scored;
  const stored = run.runId !== null ? findTrainingGroup(db, run.runId, b.groupId) : undefined;
  if (run.taskSetId !== null && !stored) {
    const rt = runTask(db, run.taskSetId, b.taskId);
    if (rt) {
      try {
        const trajectories = b.trajectories.map((t) => scoreTrajectory({ rolloutId: "", experimentId: 0 }, rt.task, rt.baseState, t.messages, t.termination));
        scored = { taskSetId: run.taskSetId, taskId: b.taskId, trajectories };
      } catch {
        // Left to the store side, which scores again and reports the failure on this event.
      }
    }
  }
  return {
    id: e.id,
    type: "group.create",
    body: {
      ...b,
      ...(scored ? { scored } : {}),
      trajectories: b.trajectories.map(({ messages, ...t }) => ({ ...t, plan: planMessageRows(messages, t.bodies) })),
    },
  };
}
