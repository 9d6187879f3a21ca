/** Row counts for the home page. */
import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { environments, experiments, jobs, rollouts, taskSets, tasks } from "../schema";

export interface Overview {
  experiments: number;
  taskSets: number;
  tasks: number;
  environments: number;
  rollouts: number;
  jobs: number;
}

export function getOverview(db: DbOrTx): Overview {
  const count = (table: typeof experiments | typeof taskSets | typeof tasks | typeof environments | typeof rollouts | typeof jobs) =>
    db.select({ n: sql<number>`count(*)` }).from(table).get()?.n ?? 0;
  return {
    experiments: count(experiments),
    taskSets: count(taskSets),
    tasks: count(tasks),
    environments: count(environments),
    rollouts: count(rollouts),
    jobs: count(jobs),
  };
}
