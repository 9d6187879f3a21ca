/**
 * `POST /api/v1/reward-configs/{iteration}/score` without the framework: body → validated
 * group → scoreGroup → answer with an ETag. Iterations are immutable, so an answer is a pure
 * function of (iteration content hash, inputs): the ETag is a hash of both, an If-None-Match
 * hit is a 304, and recent answers are kept in a small LRU so a trainer's retry costs a lookup.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { Db } from "../../db/client";
import { createCache } from "../cache/lru";
import { AppError, ValidationError } from "../errors/app-error";
import { FieldError, normalizeMessages } from "../ingest/messages";
import { ESTIMATORS, type EstimatorName } from "../rewards";
import { terminationSchema, type Message } from "../types/messages";
import { parseHermesText } from "./hermes";
import type { GroupIngester } from "./ingest";
import { resolveIteration, resolveTask, type ResolvedIteration } from "./resolve";
import { scoreGroup, type ScoredGroup, type ScoreTrajectoryInput } from "./score-group";
import { databaseKey } from "./store";

/** The ingestion limit (training-integration.md §6), applied to scoring too. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;
export const MAX_TRAJECTORIES = 256;

export const estimatorSchema = z.enum(ESTIMATORS as [EstimatorName, ...EstimatorName[]], { message: `must be one of ${ESTIMATORS.join(", ")}` });

const trajectorySchema = z
  .object({
    trajectory_id: z.string().min(1, "must be a non-empty string"),
    /** The project's message format (as ingestion accepts it) … */
    messages: z.array(z.unknown()).optional(),
    /** … or chat-template text (Hermes / Qwen), parsed with lib/reward-serving/hermes.ts … */
    text: z.string().optional(),
    /**
     * … plus, optionally, the model's response as decoded text that starts inside the assistant
     * turn (verl's `solution_str`, slime's `response`), appended to `messages` / `text` (the prompt).
     */
    response_text: z.string().optional(),
    termination: terminationSchema.optional(),
  })
  .passthrough();

export const scoreBodySchema = z.object({
  task_id: z.union([z.string().min(1, "must be a non-empty string"), z.number().int().transform(String)]),
  estimator: estimatorSchema.optional(),
  /** Score tasks of another task set than the iteration's experiment's. */
  task_set_id: z.number().int().positive().optional(),
  trajectories: z.array(trajectorySchema).min(1, "must hold at least one trajectory").max(MAX_TRAJECTORIES, `at most ${MAX_TRAJECTORIES} trajectories per call`),
  /** Also store the group into this training run (POST /api/v1/ingest's path); group_id defaults to `<step>:<task_id>:<first trajectory id>`. */
  ingest: z.object({ run_id: z.string().min(1), step: z.number().int().nonnegative(), group_id: z.string().min(1).optional() }).strict().optional(),
});
export type ScoreBody = z.infer<typeof scoreBodySchema>;

export class PayloadTooLargeError extends AppError {
  constructor(bytes: number, field = "body") {
    super("payload_too_large", `request body is ${bytes} bytes; the limit is ${MAX_BODY_BYTES} (4 MB): split the group`, 413, { field });
  }
}

/** Messages of one trajectory; errors name the field (`trajectories.2.messages.5.role`). */
export function trajectoryMessages(t: { messages?: unknown[]; text?: string; response_text?: string }, field: string): Message[] {
  if (t.messages === undefined && t.text === undefined && t.response_text === undefined) {
    throw new ValidationError(`${field}: give messages (or chat-template text)`, `${field}.messages`);
  }
  try {
    const head = t.messages !== undefined ? normalizeMessages(t.messages, `${field}.messages`) : t.text !== undefined ? parseHermesText(t.text, { firstRole: null }) : [];
    const tail = t.response_text !== undefined ? parseHermesText(t.response_text, { firstRole: "assistant", idPrefix: "response" }) : [];
    const messages = [...head, ...tail];
    if (!messages.length) throw new FieldError(`${field}.${t.text !== undefined ? "text" : "response_text"}`, "holds no user, assistant or tool turn");
    return messages;
  } catch (err) {
    if (err instanceof FieldError) throw new ValidationError(err.message, err.field, err);
    throw err;
  }
}

export interface ScoreAnswer extends ScoredGroup {
  /** The reward_configs id used (`latest` resolved). */
  iteration: number;
  experiment_id: number | null;
  config_hash: string;
  task_id: string;
  ingested?: { run_id: string; step: number; group_id: string; status: number };
}

export interface ScoreOutcome {
  status: 200 | 304;
  etag: string;
  /** JSON text of the answer (absent for a 304). */
  body?: string;
}


const answers = createCache<string>({
  name: "reward-serving.answers",
  maxEntries: 128,
  purpose: "recent score answers (JSON text) by database and ETag, so a trainer's retry costs a lookup",
});

/**
 * ETag = hash of (iteration id, its content hash, the inputs in normal form): the trajectories
 * after normalisation (lib/ingest/messages.ts builds messages with a fixed key order and sorted
 * argument keys), so the same group sent with another key order or argument encoding (object
 * vs JSON string) gets the same tag. JSON.stringify of that form is the canonical text.
 */
export function etagOf(iteration: ResolvedIteration, inputs: { task_id: string; estimator?: string; task_set_id?: number; trajectories: readonly ScoreTrajectoryInput[] }): string {
  const normal = JSON.stringify([inputs.task_id, inputs.estimator ?? null, inputs.task_set_id ?? null, inputs.trajectories.map((t) => [t.trajectory_id, t.termination ?? null, t.messages])]);
  const h = createHash("sha256").update(`${iteration.id}:${iteration.hash}\n`).update(normal).digest("base64url").slice(0, 32);
  return `"${h}"`;
}

const matches = (ifNoneMatch: string | null, etag: string) =>
  ifNoneMatch !== null && ifNoneMatch.split(",").some((t) => t.trim().replace(/^W\//, "") === etag);

/** Score a validated group (no ETag logic: the shims call this directly). */
export function scoreValidated(db: Db, iteration: ResolvedIteration, taskId: string, trajectories: ScoreTrajectoryInput[], opts: { estimator?: EstimatorName; taskSetId?: number; taskField?: string } = {}): ScoreAnswer {
  const { task, baseState } = resolveTask(db, opts.taskSetId ?? iteration.taskSetId, taskId, opts.taskField);
  const scored = scoreGroup({ task, baseState, config: iteration.config, estimator: opts.estimator, trajectories, intendedRho: iteration.rho });
  return { iteration: iteration.id, experiment_id: iteration.experimentId, config_hash: iteration.hash, task_id: taskId, ...scored };
}

export interface ScoreRequestOptions {
  ifNoneMatch?: string | null;
  /** Scope `latest` to one experiment (`?experiment=ID`). */
  experimentId?: number;
  ingest?: GroupIngester | null;
}

export function scoreRequest(db: Db, iterationParam: string, rawBody: unknown, opts: ScoreRequestOptions = {}): ScoreOutcome {
  const body = scoreBodySchema.parse(rawBody);
  const iteration = resolveIteration(db, iterationParam, opts.experimentId);
  const { ingest } = body;
  const trajectories: ScoreTrajectoryInput[] = body.trajectories.map((t, i) => ({
    trajectory_id: t.trajectory_id,
    messages: trajectoryMessages(t, `trajectories.${i}`),
    ...(t.termination ? { termination: t.termination } : {}),
  }));
  const seen = new Set<string>();
  trajectories.forEach((t, i) => {
    if (seen.has(t.trajectory_id)) throw new ValidationError(`trajectory_id ${JSON.stringify(t.trajectory_id)} appears twice in the group`, `trajectories.${i}.trajectory_id`);
    seen.add(t.trajectory_id);
  });
  const etag = etagOf(iteration, { task_id: body.task_id, estimator: body.estimator, task_set_id: body.task_set_id, trajectories });
  // A request that also ingests has a side effect: it is always processed.
  if (!ingest) {
    if (matches(opts.ifNoneMatch ?? null, etag)) return { status: 304, etag };
    const hit = answers.get(`${databaseKey(db)}|${etag}`);
    if (hit !== undefined) return { status: 200, etag, body: hit };
  } else if (!opts.ingest) {
    throw new AppError("not_implemented", "ingest: storing a scored group into a training run is not available on this server (score without `ingest`, then POST /api/v1/ingest)", 501, { field: "ingest" });
  }
  const answer: ScoreAnswer = scoreValidated(db, iteration, body.task_id, trajectories, { estimator: body.estimator, taskSetId: body.task_set_id });
  if (ingest && opts.ingest) {
    const groupId = ingest.group_id ?? `${ingest.step}:${body.task_id}:${trajectories[0].trajectory_id}`;
    const stored = opts.ingest(db, {
      run_id: ingest.run_id,
      step: ingest.step,
      group_id: groupId,
      task_id: body.task_id,
      trajectories: trajectories.map((t, i) => ({
        ...t,
        reward: answer.results[i].reward,
        advantage: null,
        turn_advantages: answer.results[i].turns.map((x) => x.advantage),
      })),
    });
    answer.ingested = { run_id: ingest.run_id, step: ingest.step, group_id: stored.group_id, status: stored.status };
  }
  const text = JSON.stringify(answer);
  if (!ingest) answers.set(`${databaseKey(db)}|${etag}`, text);
  return { status: 200, etag, body: text };
}
