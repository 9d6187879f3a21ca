/**
 * The ingestion envelope and its events (contract: docs/training-integration.md §6).
 * Each event is parsed on its own, so one bad event becomes one error (named by its id and
 * the field) while the others in the batch go on. Parsing is pure: no database here.
 *
 * Content hashes: a trajectory's hash is the sha256 of its normalised JSON (messages built
 * with a fixed key order, free-form objects with sorted keys); a group's hash covers its
 * header and its trajectories' hashes. Replaying the same group gives the same hash whatever
 * the key order or argument encoding (object vs JSON string) the client used.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { terminationSchema, type Message, type Termination } from "../types/messages";
import { FieldError, isRecord, normalizeMessages, sortedKeys } from "./messages";

export const EVENT_TYPES = ["run.upsert", "group.create", "run.finish"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Largest request body accepted by POST /api/v1/ingest. */
export const MAX_INGEST_BYTES = 4 * 1024 * 1024;

const idText = z.string().trim().min(1).max(256);
const freeObject = z.record(z.string(), z.unknown());

export const runUpsertBodySchema = z.object({
  run_id: idText,
  name: z.string().trim().min(1).max(300).optional(),
  /** A task set id (number or numeric string) or its exact name. */
  task_set: z.union([z.number().int().positive(), z.string().trim().min(1)]),
  trainer: z.string().trim().max(100).optional(),
  project: z.string().trim().max(200).optional(),
  group_size: z.number().int().positive().max(100_000).optional(),
  config: freeObject.optional(),
});
export type RunUpsertBody = z.infer<typeof runUpsertBodySchema>;

export const runFinishBodySchema = z.object({
  run_id: idText,
  /** "completed" (default) or "failed" (the trainer crashed; `error` says why). */
  status: z.enum(["completed", "failed"]).optional(),
  error: z.string().max(2000).optional(),
});
export type RunFinishBody = z.infer<typeof runFinishBodySchema>;

const groupHeaderSchema = z.object({
  run_id: idText,
  step: z.number().int().min(0),
  split: z.enum(["train", "eval"]).optional(),
  policy_version: z.number().int().nullable().optional(),
  group_id: idText,
  task_id: z.union([z.string().min(1), z.number().int()]).transform(String),
  trajectories: z.array(z.unknown()).min(1).max(4096),
  metadata: freeObject.optional(),
});

const numberOrNull = z.number().nullable().optional();
const trajectoryHeaderSchema = z.object({
  trajectory_id: idText,
  messages: z.unknown(),
  reward: numberOrNull,
  reward_components: z.record(z.string(), z.number().nullable()).optional(),
  advantage: numberOrNull,
  turn_advantages: z.array(z.number().nullable()).optional(),
  termination: terminationSchema.optional(),
  metadata: freeObject.optional(),
});

export interface IngestTrajectory {
  trajectoryId: string;
  messages: Message[];
  /** JSON.stringify of each message, made once: the content hash and the stored rows both use it. */
  bodies: string[];
  /** As sent; undefined = infer (inferTermination in lib/ingest/score.ts). */
  termination: Termination | undefined;
  reward: number | null;
  rewardComponents: Record<string, number | null> | null;
  advantage: number | null;
  turnAdvantages: (number | null)[] | null;
  metadata: Record<string, unknown> | null;
  contentHash: string;
}

export interface GroupCreateBody {
  runId: string;
  step: number;
  split: "train" | "eval";
  policyVersion: number | null;
  groupId: string;
  taskId: string;
  metadata: Record<string, unknown> | null;
  trajectories: IngestTrajectory[];
  contentHash: string;
}

export type ParsedEvent =
  | { id: string; type: "run.upsert"; body: RunUpsertBody }
  | { id: string; type: "group.create"; body: GroupCreateBody }
  | { id: string; type: "run.finish"; body: RunFinishBody };

export interface EventError {
  id: string;
  status: number;
  message: string;
  field?: string;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function zodFieldError(err: z.ZodError, prefix: string): FieldError {
  const path = err.issues[0]?.path ?? [];
  return new FieldError([prefix, ...path.map(String)].join("."), err.issues[0]?.message ?? "invalid");
}

function parseTrajectory(raw: unknown, field: string): IngestTrajectory {
  if (!isRecord(raw)) throw new FieldError(field, "must be an object");
  const h = trajectoryHeaderSchema.safeParse(raw);
  if (!h.success) throw zodFieldError(h.error, field);
  const t = h.data;
  const messages = normalizeMessages(t.messages, `${field}.messages`);
  const rewardComponents = t.reward_components ? (sortedKeys(t.reward_components) as Record<string, number | null>) : null;
  const metadata = t.metadata ? (sortedKeys(t.metadata) as Record<string, unknown>) : null;
  const rest = {
    termination: t.termination,
    reward: t.reward ?? null,
    rewardComponents,
    advantage: t.advantage ?? null,
    turnAdvantages: t.turn_advantages ?? null,
    metadata,
  };
  const bodies = messages.map((m) => JSON.stringify(m));
  return { trajectoryId: t.trajectory_id, messages, bodies, ...rest, contentHash: trajectoryHash(t.trajectory_id, bodies, rest) };
}

/**
 * sha256 of JSON.stringify({trajectoryId, messages, ...rest}) (the hash stored since the first
 * version, so replays of groups stored earlier still match), assembled from the message bodies
 * already serialised instead of serialising every message a second time. `rest` always has
 * `reward`, so its JSON is never empty.
 */
function trajectoryHash(trajectoryId: string, bodies: readonly string[], rest: object): string {
  return sha256(`{"trajectoryId":${JSON.stringify(trajectoryId)},"messages":[${bodies.join(",")}],${JSON.stringify(rest).slice(1)}`);
}

export function parseGroupBody(raw: unknown): GroupCreateBody {
  const h = groupHeaderSchema.safeParse(raw);
  if (!h.success) throw zodFieldError(h.error, "body");
  const g = h.data;
  const trajectories = g.trajectories.map((t, i) => parseTrajectory(t, `body.trajectories.${i}`));
  const seen = new Set<string>();
  trajectories.forEach((t, i) => {
    if (seen.has(t.trajectoryId)) throw new FieldError(`body.trajectories.${i}.trajectory_id`, `"${t.trajectoryId}" appears twice in this group`);
    seen.add(t.trajectoryId);
  });
  const split = g.split ?? "train";
  const policyVersion = g.policy_version ?? null;
  const metadata = g.metadata ? (sortedKeys(g.metadata) as Record<string, unknown>) : null;
  const header = { step: g.step, split, policy_version: policyVersion, task_id: g.task_id, metadata, trajectories: trajectories.map((t) => t.contentHash) };
  return {
    runId: g.run_id,
    step: g.step,
    split,
    policyVersion,
    groupId: g.group_id,
    taskId: g.task_id,
    metadata,
    trajectories,
    contentHash: sha256(JSON.stringify(header)),
  };
}

/** The envelope: `{"batch": [...]}`; anything else is a 400 for the whole request. */
export const envelopeSchema = z.object({ batch: z.array(z.unknown()).max(100_000) });

/** One raw event → a parsed event or the error that names it. */
export function parseEvent(raw: unknown, index: number): ParsedEvent | EventError {
  const fallbackId = `batch.${index}`;
  if (!isRecord(raw)) return { id: fallbackId, status: 400, message: "an event must be an object", field: fallbackId };
  const id = typeof raw.id === "string" && raw.id.trim() ? raw.id : typeof raw.id === "number" ? String(raw.id) : null;
  if (id === null) return { id: fallbackId, status: 400, message: "id: must be a non-empty string", field: "id" };
  const type = raw.type;
  if (typeof type !== "string" || !(EVENT_TYPES as readonly string[]).includes(type)) {
    return { id, status: 400, message: `type: must be one of ${EVENT_TYPES.join(", ")}`, field: "type" };
  }
  try {
    if (type === "group.create") return { id, type, body: parseGroupBody(raw.body) };
    const schema = type === "run.upsert" ? runUpsertBodySchema : runFinishBodySchema;
    const parsed = schema.safeParse(raw.body);
    if (!parsed.success) throw zodFieldError(parsed.error, "body");
    return type === "run.upsert" ? { id, type, body: parsed.data as RunUpsertBody } : { id, type: "run.finish", body: parsed.data as RunFinishBody };
  } catch (err) {
    if (err instanceof FieldError) return { id, status: 400, message: err.message, field: err.field };
    throw err;
  }
}

export function isEventError(e: ParsedEvent | EventError): e is EventError {
  return "status" in e;
}
