/**
 * The experiment runner's (../run-job.ts) reads and writes of experiment state: the
 * experiment row and status, its groups, its rollouts' statuses and saved messages, and the
 * task set it waits on. The queries themselves are db/queries' (shared with the web layer).
 */
import { eq } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { taskSets, type TaskSetRow } from "../../../db/schema";

export { getExperimentRow, setExperimentStatus } from "../../../db/queries/experiments";
export { listExperimentGroups } from "../../../db/queries/groups";
export { getRolloutMessages, listRolloutStatuses } from "../../../db/queries/rollouts";

/** The task set an experiment runs on (its status tells whether synthesis has finished). */
export function getRunTaskSet(db: DbOrTx, id: number): TaskSetRow | undefined {
  return db.select().from(taskSets).where(eq(taskSets.id, id)).get();
}
