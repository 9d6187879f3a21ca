/**
 * Rollout persistence and reads. Writes are prepared once per connection (the runner
 * persists thousands of messages a second) and are idempotent, so a resumed or duplicated
 * execution can never double a row or a counter:
 *  - a rollout row is inserted ON CONFLICT(id) DO NOTHING (ids are deterministic);
 *  - a message is inserted ON CONFLICT(rollout_id, idx) DO NOTHING; a large tool result goes
 *    to message_contents once (ON CONFLICT(id) DO NOTHING) and the row refers to it;
 *  - finalising is `UPDATE … WHERE status = 'running'`, and only when that changed a row
 *    are the experiment, group and policy counters bumped (same transaction).
 * Lists read summary columns only; bodies load in detail views (getRolloutMessages).
 */
import type Database from "better-sqlite3";
import type { Db, DbOrTx } from "../client";
import type { Message, Termination } from "../../lib/types/messages";
import { createHash } from "node:crypto";
import { messageContents, rolloutMessages, rollouts, type RolloutRow } from "../schema";
import { messageBody, restoreMessage, splitMessage } from "./message-body";
import { and, asc, eq, inArray, sql } from "drizzle-orm";

export interface RolloutStart {
  id: string;
  experimentId: number;
  groupId: string;
  taskId: string;
  sampleIndex: number;
  writes: number | null;
  evidenceTotal: number | null;
  evidenceCell: number | null;
  behavior: string | null;
  preset: string | null;
  createdAt: number;
}

export interface StoredViolation {
  rule: string;
  message: string;
  turn: number;
  messageIndex: number;
}

export interface RolloutFinal {
  id: string;
  experimentId: number;
  groupId: string;
  outcome: 0 | 1;
  reward: number;
  termination: Termination;
  turns: number;
  promptTokens: number;
  completionTokens: number;
  errorCount: number;
  metadata: Record<string, unknown>;
  violations: StoredViolation[];
  finishedAt: number;
}

function buildStatements(client: Database.Database) {
  return {
    insertRollout: client.prepare(
      `INSERT INTO rollouts (id, experiment_id, group_id, task_id, sample_index, status, writes, evidence_total,
         evidence_cell, behavior, preset, created_at)
       VALUES (@id, @experimentId, @groupId, @taskId, @sampleIndex, 'running', @writes, @evidenceTotal,
         @evidenceCell, @behavior, @preset, @createdAt)
       ON CONFLICT(id) DO NOTHING`,
    ),
    insertMessage: client.prepare(
      `INSERT INTO rollout_messages (rollout_id, idx, role, body, content_id) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(rollout_id, idx) DO NOTHING`,
    ),
    insertContent: client.prepare(`INSERT INTO message_contents (id, content) VALUES (?, ?) ON CONFLICT(id) DO NOTHING`),
    getContent: client.prepare(`SELECT content FROM message_contents WHERE id = ?`).pluck(),
    finalize: client.prepare(
      `UPDATE rollouts SET status = @status, outcome = @outcome, reward = @reward, termination = @termination,
         turns = @turns, prompt_tokens = @promptTokens, completion_tokens = @completionTokens,
         error_count = @errorCount, metadata = @metadata, violations = @violations,
         violation_count = @violationCount, finished_at = @finishedAt
       WHERE id = @id AND status = 'running'`,
    ),
    bumpExperiment: client.prepare(
      `UPDATE experiments SET rollouts_done = rollouts_done + 1, rollouts_passed = rollouts_passed + @outcome,
         rollouts_errored = rollouts_errored + @errored, prompt_tokens = prompt_tokens + @promptTokens,
         completion_tokens = completion_tokens + @completionTokens, updated_at = @now
       WHERE id = @experimentId`,
    ),
    bumpGroup: client.prepare(
      `UPDATE groups SET mean_reward = (coalesce(mean_reward, 0) * done + @reward) / (done + 1),
         done = done + 1, passed = passed + @outcome
       WHERE id = @groupId`,
    ),
    bumpPolicy: client.prepare(
      `INSERT INTO experiment_policy_counts (experiment_id, rule, count, rollouts) VALUES (?, ?, ?, 1)
       ON CONFLICT(experiment_id, rule) DO UPDATE SET count = count + excluded.count, rollouts = rollouts + 1`,
    ),
  };
}

type Statements = ReturnType<typeof buildStatements> & { contentIds: Map<string, number | null> };
const cache = new WeakMap<Database.Database, Statements>();
function statements(db: Db): Statements {
  let s = cache.get(db.$client);
  if (!s) cache.set(db.$client, (s = { ...buildStatements(db.$client), contentIds: new Map() }));
  return s;
}

/**
 * Distinct contents remembered per connection (an experiment has a few thousand).
 * Not a lib/cache createCache cache: the memory belongs to one connection (what it says is
 * stored is only true of that database, and in-memory databases share one name), so it lives
 * and dies with the connection's statements (a WeakMap keyed by the connection), cleared when full.
 */
const MAX_CONTENT_IDS = 16_384;

/** message_contents id of a text: the first 6 bytes of its sha256 (a safe integer). */
export function contentIdOf(content: string): number {
  return createHash("sha256").update(content).digest().readUIntBE(0, 6);
}

/**
 * The stored id for `content`, or null to keep the message inline. The first use in this
 * process checks the stored text, so a hash collision can never attach the wrong content.
 */
function contentRef(st: Statements, content: string): number | null {
  const known = st.contentIds.get(content);
  if (known !== undefined) return known;
  const id = contentIdOf(content);
  const inserted = st.insertContent.run(id, content).changes === 1;
  const ref = inserted || st.getContent.get(id) === content ? id : null;
  if (st.contentIds.size >= MAX_CONTENT_IDS) st.contentIds.clear();
  st.contentIds.set(content, ref);
  return ref;
}

export function insertRolloutStart(db: Db, row: RolloutStart): void {
  statements(db).insertRollout.run(row);
}

export function insertRolloutMessage(db: Db, rolloutId: string, idx: number, message: Message): void {
  const st = statements(db);
  const split = splitMessage(message);
  const ref = split ? contentRef(st, split.content) : null;
  if (split && ref !== null) st.insertMessage.run(rolloutId, idx, message.role, split.body, ref);
  else st.insertMessage.run(rolloutId, idx, message.role, messageBody(message), null);
}

/** Returns whether this call finalised the rollout (false: it was already final). */
export function finalizeRollout(db: Db, f: RolloutFinal): boolean {
  const st = statements(db);
  const changed = st.finalize.run({
    id: f.id,
    status: f.termination === "error" ? "error" : "done",
    outcome: f.outcome,
    reward: f.reward,
    termination: f.termination,
    turns: f.turns,
    promptTokens: f.promptTokens,
    completionTokens: f.completionTokens,
    errorCount: f.errorCount,
    metadata: JSON.stringify(f.metadata),
    violations: JSON.stringify(f.violations),
    violationCount: f.violations.length,
    finishedAt: f.finishedAt,
  }).changes;
  if (changed !== 1) return false;
  st.bumpExperiment.run({
    experimentId: f.experimentId,
    outcome: f.outcome,
    errored: f.termination === "error" ? 1 : 0,
    promptTokens: f.promptTokens,
    completionTokens: f.completionTokens,
    now: f.finishedAt,
  });
  st.bumpGroup.run({ groupId: f.groupId, reward: f.reward, outcome: f.outcome });
  const byRule = new Map<string, number>();
  for (const v of f.violations) byRule.set(v.rule, (byRule.get(v.rule) ?? 0) + 1);
  for (const [rule, n] of byRule) st.bumpPolicy.run(f.experimentId, rule, n);
  return true;
}

/** id → status of every rollout of an experiment (the resume scan; summary columns only). */
export function listRolloutStatuses(db: DbOrTx, experimentId: number): { id: string; status: RolloutRow["status"] }[] {
  return db
    .select({ id: rollouts.id, status: rollouts.status })
    .from(rollouts)
    .where(eq(rollouts.experimentId, experimentId))
    .all();
}

/** The stored columns of a message (raw body text, content ref, joined content). */
const storedMessageColumns = {
  rolloutId: rolloutMessages.rolloutId,
  body: sql<string>`${rolloutMessages.body}`,
  contentId: rolloutMessages.contentId,
  content: messageContents.content,
};

export function getRolloutMessages(db: DbOrTx, rolloutId: string): Message[] {
  return db
    .select(storedMessageColumns)
    .from(rolloutMessages)
    .leftJoin(messageContents, eq(messageContents.id, rolloutMessages.contentId))
    .where(eq(rolloutMessages.rolloutId, rolloutId))
    .orderBy(asc(rolloutMessages.idx))
    .all()
    .map((r) => restoreMessage(r.body, r.contentId, r.content));
}

/** Messages of several rollouts in one query (group view), keyed by rollout id, in idx order. */
export function getMessagesForRollouts(db: DbOrTx, ids: readonly string[]): Map<string, Message[]> {
  const out = new Map<string, Message[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const rows = db
    .select(storedMessageColumns)
    .from(rolloutMessages)
    .leftJoin(messageContents, eq(messageContents.id, rolloutMessages.contentId))
    .where(inArray(rolloutMessages.rolloutId, [...ids]))
    .orderBy(asc(rolloutMessages.rolloutId), asc(rolloutMessages.idx))
    .all();
  for (const r of rows) out.get(r.rolloutId)?.push(restoreMessage(r.body, r.contentId, r.content));
  return out;
}

export function getRollout(db: DbOrTx, id: string): RolloutRow | undefined {
  return db.select().from(rollouts).where(eq(rollouts.id, id)).get();
}

export function listGroupRollouts(db: DbOrTx, groupId: string): RolloutRow[] {
  return db.select().from(rollouts).where(eq(rollouts.groupId, groupId)).orderBy(asc(rollouts.sampleIndex)).all();
}

export function countRunningRollouts(db: DbOrTx, experimentId: number): number {
  return (
    db
      .select({ n: sql<number>`count(*)` })
      .from(rollouts)
      .where(and(eq(rollouts.experimentId, experimentId), eq(rollouts.status, "running")))
      .get()?.n ?? 0
  );
}
