/**
 * What the rollout browser's annotations read (lib/calibration/annotations.ts): a group with
 * its rollouts and their messages, its finished rollouts' stored class rows, the task's gold
 * actions, and a rollout's group.
 */
import { and, eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { getGroup } from "../../../db/queries/groups";
import { getMessagesForRollouts, getRollout, listGroupRollouts } from "../../../db/queries/rollouts";
import { experiments, tasks } from "../../../db/schema";
import type { GoldAction } from "../../rewards";
import { DEFAULT_CLASS_KEY, type ClassRowTuple } from "../class-store";
import { CLASS_ROW_COLUMNS } from "./class-rows";
import type { Message } from "../../types/messages";
import type { Task } from "../../types/task";

export interface GroupRollouts {
  experimentId: number;
  taskId: string;
  /** In sample order. */
  rows: { id: string; sampleIndex: number; outcome: number | null }[];
  messages: Map<string, Message[]>;
}

/** The group's rollouts with their messages; undefined for an unknown group. */
export function readGroupRollouts(db: Db, groupId: string): GroupRollouts | undefined {
  const group = getGroup(db, groupId);
  if (!group) return undefined;
  const rows = listGroupRollouts(db, groupId).map((r) => ({ id: r.id, sampleIndex: r.sampleIndex, outcome: r.outcome }));
  return { experimentId: group.experimentId, taskId: group.taskId, rows, messages: getMessagesForRollouts(db, rows.map((r) => r.id)) };
}

/**
 * The group's finished rollouts as the calibration data load reads an experiment's (the same
 * columns and finished set as readClassRows in ./analysis-load.ts, with the stored default-key
 * class blob or null), in no particular order: the caller sorts them into finished order.
 */
export function readGroupClassRows(db: Db, groupId: string): ClassRowTuple[] {
  return db.$client
    .prepare(
      `SELECT ${CLASS_ROW_COLUMNS}
       FROM rollouts r LEFT JOIN rollout_classes c ON c.rollout_id = r.id AND c.class_key = ?
       WHERE r.group_id = ? AND r.status IN ('done', 'error')`,
    )
    .raw(true)
    .all(DEFAULT_CLASS_KEY, groupId) as ClassRowTuple[];
}

/** The gold actions of a task of the experiment's task set ([] without one). */
export function readTaskGold(db: Db, experimentId: number, taskId: string): GoldAction[] {
  const exp = db.select({ taskSetId: experiments.taskSetId }).from(experiments).where(eq(experiments.id, experimentId)).get();
  if (!exp?.taskSetId) return [];
  const row = db.select({ body: tasks.body }).from(tasks).where(and(eq(tasks.taskSetId, exp.taskSetId), eq(tasks.taskId, taskId))).get();
  if (!row) return [];
  const task = (typeof row.body === "string" ? JSON.parse(row.body) : row.body) as Task;
  return (task.evaluation_criteria?.actions ?? []).map((a) => ({ name: a.name, arguments: a.arguments as Record<string, unknown> }));
}

/** The group of a rollout; undefined for an unknown rollout. */
export function findRolloutGroupId(db: Db, rolloutId: string): string | undefined {
  return getRollout(db, rolloutId)?.groupId;
}
