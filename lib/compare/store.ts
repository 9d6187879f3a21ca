/**
 * What a comparison reads from the database (lib/compare/compare.ts builds the response): the
 * experiments with their task sets, per-task pass counts and first groups (db/queries/compare).
 */
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { experiments, taskSets } from "../../db/schema";

export { listExperimentTaskIds, listTaskGroups, listTaskPassCounts, type TaskGroupRef } from "../../db/queries/compare";

export interface ExperimentInfo {
  id: number;
  name: string;
  source: "run" | "import" | "training";
  taskSetId: number | null;
  taskSetName: string | null;
}

/** The experiment with its task set's name; undefined for an unknown id. */
export function findExperimentInfo(db: Db, id: number): ExperimentInfo | undefined {
  return db
    .select({ id: experiments.id, name: experiments.name, source: experiments.source, taskSetId: experiments.taskSetId, taskSetName: taskSets.name })
    .from(experiments)
    .leftJoin(taskSets, eq(taskSets.id, experiments.taskSetId))
    .where(eq(experiments.id, id))
    .get();
}
