/**
 * Reads of the run comparison (lib/compare): per-task pass counts and the groups of each task
 * of one side, optionally limited to a training-step range. Finished rollouts only (status
 * done/error), the same rows the workbench analysis counts. Both use the (experiment_id, …)
 * indexes; no message bodies.
 */
import type { Db } from "../client";

export interface TaskPassCount {
  taskId: string;
  rollouts: number;
  passed: number;
}

export interface TaskGroupRef {
  taskId: string;
  /** The side's first group of the task (lowest position) in the range. */
  groupId: string;
  groups: number;
}

type Steps = readonly [number, number] | null;

const stepClause = (steps: Steps) => (steps ? " AND step BETWEEN ? AND ?" : "");
const stepArgs = (steps: Steps) => (steps ? [steps[0], steps[1]] : []);

export function listTaskPassCounts(db: Db, experimentId: number, steps: Steps): TaskPassCount[] {
  return db.$client
    .prepare(
      `SELECT task_id AS taskId, count(*) AS rollouts, coalesce(sum(outcome = 1), 0) AS passed
         FROM rollouts WHERE experiment_id = ? AND status IN ('done', 'error')${stepClause(steps)}
        GROUP BY task_id ORDER BY task_id`,
    )
    .all(experimentId, ...stepArgs(steps)) as TaskPassCount[];
}

export function listTaskGroups(db: Db, experimentId: number, steps: Steps): TaskGroupRef[] {
  const rows = db.$client
    .prepare(`SELECT task_id AS taskId, id FROM groups WHERE experiment_id = ?${stepClause(steps)} ORDER BY position`)
    .all(experimentId, ...stepArgs(steps)) as { taskId: string; id: string }[];
  const byTask = new Map<string, TaskGroupRef>();
  for (const r of rows) {
    const hit = byTask.get(r.taskId);
    if (hit) hit.groups++;
    else byTask.set(r.taskId, { taskId: r.taskId, groupId: r.id, groups: 1 });
  }
  return [...byTask.values()];
}

/** The distinct task ids an experiment was run on (its groups), in the step range. */
export function listExperimentTaskIds(db: Db, experimentId: number, steps: Steps): string[] {
  return (
    db.$client
      .prepare(`SELECT DISTINCT task_id FROM groups WHERE experiment_id = ?${stepClause(steps)} ORDER BY task_id`)
      .pluck()
      .all(experimentId, ...stepArgs(steps)) as string[]
  );
}
