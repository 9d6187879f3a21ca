/**
 * Groups of an experiment (one per task): the rollout browser's list. Keyset pagination
 * on (experiment_id, position) — the groups_experiment_position_idx index — with the
 * WRIT axes stored on the group row, so W / B / behaviour / task filters never join tasks.
 * Filters on rollouts (termination, pass/fail) use rollouts' (experiment_id, …) indexes
 * in an IN (subquery). Only summary columns are read; never message bodies.
 */
import { and, asc, eq, gt, inArray, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { groups, rollouts, type GroupRow, type RolloutRow } from "../schema";
import type { Termination } from "../../lib/types/messages";

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
/** Exactly the columns the summary query selects (new rollout columns stay out of list payloads). */
export type RolloutSummaryRow = Pick<RolloutRow, keyof typeof rolloutSummaryColumns>;

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

