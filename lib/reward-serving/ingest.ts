/**
 * The `ingest: {run_id, step}` option of the scoring endpoint: the scored group is stored into
 * the training run through the ingestion API's own code path (lib/ingest/ingest.ts
 * `ingestBatch`, one `group.create` event), so it lands exactly as `POST /api/v1/ingest` would
 * store it, with the same idempotency (the same group again is a no-op, different content
 * under the same group id a 409). WRIT Lab's served reward and advantages go in as the
 * trainer's numbers, because they are what the trainer trains on.
 */
import type { Db } from "../../db/client";
import { AppError } from "../errors/app-error";
import { ingestBatch } from "../ingest/ingest";
import type { Message, Termination } from "../types/messages";

export interface IngestScoredGroup {
  run_id: string;
  step: number;
  group_id: string;
  task_id: string;
  trajectories: { trajectory_id: string; messages: Message[]; termination?: Termination; reward: number; advantage: number | null; turn_advantages: (number | null)[] }[];
}

export type GroupIngester = (db: Db, group: IngestScoredGroup) => { status: number; group_id: string };

export function ingestScoredGroup(db: Db, g: IngestScoredGroup): { status: number; group_id: string } {
  const event = {
    id: `score:${g.run_id}:${g.group_id}`,
    type: "group.create",
    body: {
      run_id: g.run_id,
      step: g.step,
      group_id: g.group_id,
      task_id: g.task_id,
      trajectories: g.trajectories.map((t) => ({
        trajectory_id: t.trajectory_id,
        messages: t.messages,
        ...(t.termination ? { termination: t.termination } : {}),
        reward: t.reward,
        advantage: t.advantage,
        turn_advantages: t.turn_advantages,
      })),
    },
  };
  const result = ingestBatch(db, [event]);
  const err = result.errors[0];
  if (err) throw new AppError(err.status === 404 ? "not_found" : err.status === 409 ? "conflict" : "invalid_request", `ingest: ${err.message}`, err.status, { field: err.field ? `ingest.${err.field.replace(/^body\./, "")}` : "ingest" });
  return { status: result.successes[0]?.status ?? 200, group_id: g.group_id };
}

/** The ingester the route uses (a function so tests can see it is the ingestion API's path). */
export function groupIngester(): GroupIngester {
  return ingestScoredGroup;
}
