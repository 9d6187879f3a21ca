/**
 * Groups of an experiment (one per task): the rollout browser's list. Keyset pagination
 * on (experiment_id, position) — the groups_experiment_position_idx index — with the
 * WRIT axes stored on the group row, so W / B / behaviour / task filters never join tasks.
 * Filters on rollouts (termination, pass/fail) use rollouts' (experiment_id, …) indexes
 * in an IN (subquery). Only summary columns are read; never message bodies.
 */
import { and, asc, eq, gt, inArray, sql, type SQL } from "drizzle-orm";
import type { Db, DbOrTx } from "../client";
import { groups, rollouts, type GroupRow, type RolloutRow } from "../schema";
import type { Message, Termination } from "../../lib/types/messages";
import { restoreMessage } from "./message-body";

/** Rollout columns a list needs: everything but the JSON blobs (metadata, violations). */
export const rolloutSummaryColumns = {
  id: rollouts.id,
  experimentId: rollouts.experimentId,
  groupId: rollouts.groupId,
  taskId: rollouts.taskId,
  sampleIndex: rollouts.sampleIndex,
  status: rollouts.status,
  outcome: rollouts.outcome,
  reward: rollouts.reward,
  termination: rollouts.termination,
  turns: rollouts.turns,
  promptTokens: rollouts.promptTokens,
  completionTokens: rollouts.completionTokens,
  writes: rollouts.writes,
  evidenceTotal: rollouts.evidenceTotal,
  evidenceCell: rollouts.evidenceCell,
  behavior: rollouts.behavior,
  preset: rollouts.preset,
  errorCount: rollouts.errorCount,
  violationCount: rollouts.violationCount,
  createdAt: rollouts.createdAt,
  finishedAt: rollouts.finishedAt,
};
export type RolloutSummaryRow = Omit<RolloutRow, "metadata" | "violations">;

export interface ListGroupsFilter {
  limit?: number;
  cursor?: number;
  task?: string;
  outcome?: "all_pass" | "all_fail" | "mixed" | "pass" | "fail";
  w?: number;
  b?: number;
  b_total?: number;
  behavior?: string;
  termination?: Termination;
}

export function listGroups(
  db: DbOrTx,
  experimentId: number,
  f: ListGroupsFilter = {},
): { groups: GroupRow[]; rollouts: Map<string, RolloutSummaryRow[]>; nextCursor: number | null } {
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 200);
  const where: SQL[] = [eq(groups.experimentId, experimentId)];
  if (f.cursor !== undefined) where.push(gt(groups.position, f.cursor));
  if (f.task !== undefined) where.push(eq(groups.taskId, f.task));
  if (f.w !== undefined) where.push(eq(groups.writes, f.w));
  if (f.b !== undefined) where.push(eq(groups.evidenceCell, f.b));
  if (f.b_total !== undefined) where.push(eq(groups.evidenceTotal, f.b_total));
  if (f.behavior !== undefined) where.push(eq(groups.behavior, f.behavior));
  switch (f.outcome) {
    case "all_pass":
      where.push(sql`${groups.done} = ${groups.size} AND ${groups.passed} = ${groups.done}`);
      break;
    case "all_fail":
      where.push(sql`${groups.done} = ${groups.size} AND ${groups.passed} = 0`);
      break;
    case "mixed":
      where.push(sql`${groups.passed} > 0 AND ${groups.passed} < ${groups.done}`);
      break;
    case "pass":
      where.push(sql`${groups.passed} > 0`);
      break;
    case "fail":
      where.push(sql`${groups.done} > ${groups.passed}`);
      break;
  }
  if (f.termination !== undefined) {
    where.push(
      inArray(
        groups.id,
        db
          .select({ id: rollouts.groupId })
          .from(rollouts)
          .where(and(eq(rollouts.experimentId, experimentId), eq(rollouts.termination, f.termination))),
      ),
    );
  }
  const rows = db
    .select()
    .from(groups)
    .where(and(...where))
    .orderBy(asc(groups.position))
    .limit(limit + 1)
    .all();
  const page = rows.slice(0, limit);
  const members = new Map<string, RolloutSummaryRow[]>(page.map((g) => [g.id, []]));
  if (page.length) {
    const list = db
      .select(rolloutSummaryColumns)
      .from(rollouts)
      .where(inArray(rollouts.groupId, page.map((g) => g.id)))
      .orderBy(asc(rollouts.groupId), asc(rollouts.sampleIndex))
      .all();
    for (const r of list) members.get(r.groupId)?.push(r);
  }
  return { groups: page, rollouts: members, nextCursor: rows.length > limit ? page[page.length - 1].position : null };
}

export function getGroup(db: DbOrTx, id: string): GroupRow | undefined {
  return db.select().from(groups).where(eq(groups.id, id)).get();
}

export function listExperimentGroups(db: DbOrTx, experimentId: number): GroupRow[] {
  return db.select().from(groups).where(eq(groups.experimentId, experimentId)).orderBy(asc(groups.position)).all();
}

/**
 * One page of a group's conversations for the rollout browser: the messages of agent turns
 * [fromTurn, toTurn] of each rollout, where turn 0 is the opening (the greeting and the first
 * user message) and turn k starts at the k-th assistant message after the greeting, with the tool
 * results and user replies that follow it. One pass over the (rollout_id, idx) index: every row
 * gets its turn from a running count of assistant messages, only the rows of the page are parsed
 * and returned. `turnCounts` is each rollout's last turn index (its number of agent turns).
 */
export function getGroupTurnMessages(
  db: Db,
  rolloutIds: readonly string[],
  fromTurn: number,
  toTurn: number,
): { messages: Map<string, Message[]>; turnCounts: Map<string, number> } {
  const messages = new Map<string, Message[]>(rolloutIds.map((id) => [id, []]));
  const turnCounts = new Map<string, number>(rolloutIds.map((id) => [id, 0]));
  if (!rolloutIds.length) return { messages, turnCounts };
  const marks = rolloutIds.map(() => "?").join(",");
  const rows = db.$client
    .prepare(
      `SELECT x.rollout_id AS rolloutId, x.k AS k, CASE WHEN x.k BETWEEN ? AND ? THEN x.body END AS body, x.content_id AS contentId,
              CASE WHEN x.k BETWEEN ? AND ? AND x.content_id IS NOT NULL THEN c.content END AS content
         FROM (SELECT m.rollout_id, m.idx, m.body, m.content_id,
                      max(0, sum(m.role = 'assistant') OVER (PARTITION BY m.rollout_id ORDER BY m.idx ROWS UNBOUNDED PRECEDING) - 1) AS k
                 FROM rollout_messages m WHERE m.rollout_id IN (${marks})) x
         LEFT JOIN message_contents c ON c.id = x.content_id
        ORDER BY x.rollout_id, x.idx`,
    )
    .all(fromTurn, toTurn, fromTurn, toTurn, ...rolloutIds) as { rolloutId: string; k: number; body: string | null; contentId: number | null; content: string | null }[];
  for (const r of rows) {
    if (r.k > (turnCounts.get(r.rolloutId) ?? 0)) turnCounts.set(r.rolloutId, r.k);
    if (r.body !== null) messages.get(r.rolloutId)?.push(restoreMessage(r.body, r.contentId, r.content));
  }
  return { messages, turnCounts };
}
