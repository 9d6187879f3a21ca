/**
 * Groups, rollouts and messages as the experiments API reads them: the shared queries of
 * db/queries/groups.ts and db/queries/rollouts.ts (re-exported), the task body a group page
 * shows, and the paged reads of an export (a page of groups at a time, so a 100k-rollout
 * export never holds every message in memory).
 */
import { and, asc, eq, gt, inArray } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { groups, rollouts, tasks, type RolloutRow } from "../../../db/schema";
import type { Task } from "../../types/task";

export { getGroup, listGroups, type ListGroupsFilter, type RolloutSummaryRow } from "../../../db/queries/groups";
export { countRunningRollouts, getMessagesForRollouts, getRollout, getRolloutMessages, listGroupRollouts } from "../../../db/queries/rollouts";

/** The body of task `taskId` in set `taskSetId`, or null (no set, or no such task). */
export function getTaskBody(db: DbOrTx, taskSetId: number | null, taskId: string): Task | null {
  if (taskSetId === null) return null;
  return db.select({ body: tasks.body }).from(tasks).where(and(eq(tasks.taskSetId, taskSetId), eq(tasks.taskId, taskId))).get()?.body ?? null;
}

/** Task ids of an experiment's groups, in group (position) order. */
export function listGroupTaskIds(db: DbOrTx, experimentId: number): string[] {
  return db.select({ taskId: groups.taskId }).from(groups).where(eq(groups.experimentId, experimentId)).orderBy(asc(groups.position)).all().map((g) => g.taskId);
}

/** The next `limit` groups after position `cursor` (ids and positions only). */
export function listGroupPage(db: DbOrTx, experimentId: number, cursor: number, limit: number): { id: string; position: number }[] {
  return db
    .select({ id: groups.id, position: groups.position })
    .from(groups)
    .where(and(eq(groups.experimentId, experimentId), gt(groups.position, cursor)))
    .orderBy(asc(groups.position))
    .limit(limit)
    .all();
}

/** Every rollout row of these groups (unordered; callers sort). */
export function listRolloutsOfGroups(db: DbOrTx, groupIds: readonly string[]): RolloutRow[] {
  return db.select().from(rollouts).where(inArray(rollouts.groupId, [...groupIds])).all();
}
