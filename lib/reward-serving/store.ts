/** The reward-serving domain's database reads: saved reward-config iterations and the tasks they score. */
import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { experiments, rewardConfigs, tasks } from "../../db/schema";
import type { Task } from "../types/task";

export type RewardConfigRow = typeof rewardConfigs.$inferSelect;

export function getRewardConfigRow(db: Db, id: number): RewardConfigRow | undefined {
  return db.select().from(rewardConfigs).where(eq(rewardConfigs.id, id)).get();
}

/** The newest saved iteration of the whole project, if any. */
export function latestRewardConfigId(db: Db): number | undefined {
  return db.select({ id: rewardConfigs.id }).from(rewardConfigs).orderBy(desc(rewardConfigs.createdAt), desc(rewardConfigs.id)).limit(1).get()?.id;
}

/** The task set of experiment `id` (null: none, or no such experiment). */
export function experimentTaskSetId(db: Db, id: number): number | null {
  return db.select({ t: experiments.taskSetId }).from(experiments).where(eq(experiments.id, id)).get()?.t ?? null;
}

export function findTaskBody(db: Db, taskSetId: number, taskId: string): Task | undefined {
  return db
    .select({ body: tasks.body })
    .from(tasks)
    .where(and(eq(tasks.taskSetId, taskSetId), eq(tasks.taskId, taskId)))
    .get()?.body;
}

/** Which database a cached entry belongs to (tests rebuild databases; a server may open more than one). */
export function databaseKey(db: Db): string {
  return db.$client.name;
}
