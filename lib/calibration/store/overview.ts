/** The home page's reads (lib/calibration/overview.ts): cheap indexed queries over experiments, reward_configs and jobs. */
import { desc, inArray } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { experiments, jobs, rewardConfigs, type ExperimentRow, type JobRow } from "../../../db/schema";

/** Newest experiments first. */
export function listRecentExperiments(db: Db, limit: number): ExperimentRow[] {
  return db.select().from(experiments).orderBy(desc(experiments.createdAt), desc(experiments.id)).limit(limit).all();
}

/** The iterations of the listed experiments, oldest first. */
export function listIterationSummaries(db: Db, experimentIds: readonly number[]) {
  if (!experimentIds.length) return [];
  return db
    .select({ id: rewardConfigs.id, experimentId: rewardConfigs.experimentId, note: rewardConfigs.note, metrics: rewardConfigs.metrics, config: rewardConfigs.config, createdAt: rewardConfigs.createdAt })
    .from(rewardConfigs)
    .where(inArray(rewardConfigs.experimentId, [...experimentIds]))
    .all()
    .sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
}

export function listExperimentNames(db: Db, ids: readonly number[]): { id: number; name: string }[] {
  if (!ids.length) return [];
  return db.select({ id: experiments.id, name: experiments.name }).from(experiments).where(inArray(experiments.id, [...ids])).all();
}

/** Queued and running jobs, newest first. */
export function listActiveJobs(db: Db, limit: number): JobRow[] {
  return db
    .select()
    .from(jobs)
    .where(inArray(jobs.status, ["queued", "running"]))
    .orderBy(desc(jobs.createdAt))
    .limit(limit)
    .all();
}
