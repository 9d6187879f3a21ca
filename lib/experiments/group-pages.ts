/**
 * The group API's paged form (issue 17 §4 load case). A group of 64 siblings with every message is
 * ~280 KB, while the browser shows a handful of sibling columns at a time. `getGroupPage` answers
 * what the view shows first: every sibling's summary (outcome, reward, evaluation, violations) and
 * the messages of siblings [0, K) in sample order (plus the one a link selects);
 * `getGroupSiblingMessages` the messages of the next siblings as the view scrolls right or the keys
 * move onto them. Rollouts have the shape of GET /api/groups/:id (lib/experiments/service
 * getGroupDetail), whose whole-group answer stays as it was for callers that ask without `siblings`;
 * a sibling whose messages are not sent yet has `messages: []`, `gold_actions: []` and `metadata: {}`
 * (its page brings all three) and is listed in `siblings_page.pending`.
 */
import { z } from "zod";
import type { Db } from "../../db/client";
import { NotFoundError } from "../errors/app-error";
import { stripSecrets } from "../interchange/redact";
import type { Message } from "../types/messages";
import type { Task } from "../types/task";
import type { GroupDetailResponse, RolloutDetail } from "./api-types";
import { presentGroup, presentRolloutDetail } from "./present";
import { getExperimentHeader, getExperimentTaskSetId } from "./store/experiments";
import { getGroup, getMessagesForRollouts, getTaskBody, listGroupRollouts } from "./store/groups";

/** Which siblings (positions in sample order) carry their messages in this answer. */
export interface SiblingPage {
  /** Positions [from, to) in sample order, plus `extra` (a selected sibling outside it), when it has one. */
  from: number;
  to: number;
  extra: number | null;
  total: number;
  /** Rollout ids whose messages are not in this answer (nor an earlier one of the same paging). */
  pending: string[];
}

export type GroupPageResponse = GroupDetailResponse & { siblings_page: SiblingPage };

/** GET /api/groups/:id/messages?from=&to= → */
export interface GroupSiblingMessagesResponse {
  group_id: string;
  from: number;
  to: number;
  total: number;
  rollouts: { id: string; sample_index: number; messages: Message[]; gold_actions: RolloutDetail["gold_actions"]; metadata: RolloutDetail["metadata"] }[];
}

function loadGroup(db: Db, groupId: string) {
  const group = getGroup(db, groupId);
  if (!group) throw new NotFoundError(`group ${groupId} not found`);
  return group;
}

export function getGroupPage(db: Db, groupId: string, siblings: number, include: number | null = null): GroupPageResponse {
  const group = loadGroup(db, groupId);
  const exp = getExperimentHeader(db, group.experimentId)!;
  const rows = listGroupRollouts(db, groupId);
  const to = Math.min(rows.length, siblings);
  const extra = include !== null && include >= to && include < rows.length ? include : null;
  const sent = rows.filter((_, i) => i < to || i === extra);
  const messages = getMessagesForRollouts(db, sent.map((r) => r.id));
  const task = taskOf(db, group.experimentId, group.taskId);
  const gold = goldOf(task);
  return {
    group: presentGroup(group),
    experiment: { id: exp.id, name: exp.name, status: exp.status },
    task: task ? (stripSecrets(task) as Record<string, unknown>) : null,
    rollouts: rows.map((r) => {
      const m = messages.get(r.id);
      // Not sent yet: the per-rollout bulk (task-wide gold list, metadata) comes with the messages.
      return m ? presentRolloutDetail(r, m, { goldActions: gold }) : { ...presentRolloutDetail(r, [], { goldActions: [] }), metadata: {} };
    }),
    siblings_page: { from: 0, to, extra, total: rows.length, pending: rows.filter((r) => !messages.has(r.id)).map((r) => r.id) },
  };
}

export function getGroupSiblingMessages(db: Db, groupId: string, from: number, to: number): GroupSiblingMessagesResponse {
  const group = loadGroup(db, groupId);
  const rows = listGroupRollouts(db, groupId);
  const slice = rows.slice(from, to);
  const messages = getMessagesForRollouts(db, slice.map((r) => r.id));
  const gold = goldOf(taskOf(db, group.experimentId, group.taskId));
  return {
    group_id: groupId,
    from,
    to: Math.min(to, rows.length),
    total: rows.length,
    rollouts: slice.map((r) => {
      const d = presentRolloutDetail(r, messages.get(r.id) ?? [], { goldActions: gold });
      return { id: r.id, sample_index: r.sampleIndex, messages: d.messages, gold_actions: d.gold_actions, metadata: d.metadata };
    }),
  };
}

function taskOf(db: Db, experimentId: number, taskId: string): Task | null {
  return getTaskBody(db, getExperimentTaskSetId(db, experimentId) ?? null, taskId);
}

const goldOf = (task: Task | null) => (task?.evaluation_criteria?.actions ?? []).map((a) => ({ name: a.name, arguments: a.arguments }));

const count = (field: string, min: number) =>
  z
    .string()
    .regex(/^\d{1,4}$/, `${field} must be a whole number (sibling position)`)
    .transform(Number)
    .refine((n) => n >= min, `${field} must be at least ${min}`);

/** GET /api/groups/:id?siblings=K[&include=S] (absent: the whole group, as before). */
export const groupPageQuerySchema = z.object({ siblings: count("siblings", 1).optional(), include: count("include", 0).optional() });

/** GET /api/groups/:id/messages?from=A&to=B: siblings [A, B) in sample order, at most 64 at once. */
export const groupSiblingsQuerySchema = z
  .object({ from: count("from", 0), to: count("to", 1) })
  .refine((q) => q.to > q.from, { message: "to must be > from", path: ["to"] })
  .refine((q) => q.to - q.from <= 64, { message: "at most 64 siblings per page", path: ["to"] });
