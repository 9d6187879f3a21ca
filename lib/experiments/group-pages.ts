/**
 * The group API's paged form (issue 17 §4 load case): a group of 64 siblings with every message
 * is ~280 KB, while the browser shows a dozen turns at a time. `getGroupPage` answers what the view
 * shows first (every sibling's summary, evaluation, violations and its agent turns 0..N), and
 * `getGroupTurns` the next turns as the view scrolls or the keys move past the loaded rows. Same
 * rollout shape as GET /api/groups/:id (lib/experiments/service getGroupDetail), whose whole-group
 * answer stays as it was for callers that ask without `turns`.
 */
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { getGroup, getGroupTurnMessages } from "../../db/queries/groups";
import { listGroupRollouts } from "../../db/queries/rollouts";
import { experiments, tasks } from "../../db/schema";
import { NotFoundError } from "../http/errors";
import { stripSecrets } from "../interchange/redact";
import type { Message } from "../types/messages";
import type { Task } from "../types/task";
import type { GroupDetailResponse } from "./api-types";
import { presentGroup, presentRolloutDetail } from "./present";

/** Which turns a response holds: agent turns [from, to] of every rollout; `more` = some rollout has turns after `to`. */
export interface TurnPage {
  from: number;
  to: number;
  /** The most agent turns any rollout of the group has. */
  turns_total: number;
  more: boolean;
}

export type GroupPageResponse = GroupDetailResponse & { turns_page: TurnPage };

/** GET /api/groups/:id/turns?from=&to= → */
export interface GroupTurnsResponse {
  group_id: string;
  turns_page: TurnPage;
  rollouts: { id: string; messages: Message[] }[];
}

function loadGroup(db: Db, groupId: string) {
  const group = getGroup(db, groupId);
  if (!group) throw new NotFoundError(`group ${groupId} not found`);
  return group;
}

function pageOf(turnCounts: Map<string, number>, from: number, to: number): TurnPage {
  const total = Math.max(0, ...turnCounts.values());
  return { from, to, turns_total: total, more: total > to };
}

export function getGroupPage(db: Db, groupId: string, turns: number): GroupPageResponse {
  const group = loadGroup(db, groupId);
  const exp = db.select({ id: experiments.id, name: experiments.name, status: experiments.status, taskSetId: experiments.taskSetId }).from(experiments).where(eq(experiments.id, group.experimentId)).get()!;
  const rows = listGroupRollouts(db, groupId);
  const { messages, turnCounts } = getGroupTurnMessages(db, rows.map((r) => r.id), 0, turns);
  const task =
    exp.taskSetId === null
      ? null
      : ((db.select({ body: tasks.body }).from(tasks).where(and(eq(tasks.taskSetId, exp.taskSetId), eq(tasks.taskId, group.taskId))).get()?.body ?? null) as Task | null);
  const gold = (task?.evaluation_criteria?.actions ?? []).map((a) => ({ name: a.name, arguments: a.arguments }));
  return {
    group: presentGroup(group),
    experiment: { id: exp.id, name: exp.name, status: exp.status },
    task: task ? (stripSecrets(task) as Record<string, unknown>) : null,
    rollouts: rows.map((r) => presentRolloutDetail(r, messages.get(r.id) ?? [], { goldActions: gold })),
    turns_page: pageOf(turnCounts, 0, turns),
  };
}

export function getGroupTurns(db: Db, groupId: string, from: number, to: number): GroupTurnsResponse {
  loadGroup(db, groupId);
  const ids = listGroupRollouts(db, groupId).map((r) => r.id);
  const { messages, turnCounts } = getGroupTurnMessages(db, ids, from, to);
  return { group_id: groupId, turns_page: pageOf(turnCounts, from, to), rollouts: ids.map((id) => ({ id, messages: messages.get(id) ?? [] })) };
}

const turnParam = (field: string, min: number) =>
  z
    .string()
    .regex(/^\d{1,4}$/, `${field} must be a whole number of agent turns`)
    .transform(Number)
    .refine((n) => n >= min, `${field} must be at least ${min}`);

/** GET /api/groups/:id?turns=N (absent: the whole group, as before). */
export const groupPageQuerySchema = z.object({ turns: turnParam("turns", 1).optional() });

/** GET /api/groups/:id/turns?from=A&to=B (inclusive, B − A < 500). */
export const groupTurnsQuerySchema = z
  .object({ from: turnParam("from", 0), to: turnParam("to", 0) })
  .refine((q) => q.to >= q.from, { message: "to must be ≥ from", path: ["to"] })
  .refine((q) => q.to - q.from < 500, { message: "at most 500 turns per page", path: ["to"] });
