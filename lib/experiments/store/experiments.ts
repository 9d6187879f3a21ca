/**
 * Experiment rows as the experiments domain reads and writes them. The shared queries
 * (db/queries/experiments.ts, also used by the rollouts.run job) are re-exported; the
 * small reads only this domain needs are here.
 */
import { eq } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { experiments, type ExperimentRow } from "../../../db/schema";

export {
  getExperimentByName,
  getExperimentListRow,
  getExperimentRow,
  listExperiments,
  setExperimentStatus,
  type ExperimentListRow,
  type ListExperimentsOptions,
} from "../../../db/queries/experiments";

export function experimentExists(db: DbOrTx, id: number): boolean {
  return db.select({ id: experiments.id }).from(experiments).where(eq(experiments.id, id)).get() !== undefined;
}

/** What a group page shows of its experiment, and the task set its task bodies come from. */
export function getExperimentHeader(db: DbOrTx, id: number): Pick<ExperimentRow, "id" | "name" | "status" | "taskSetId"> | undefined {
  return db
    .select({ id: experiments.id, name: experiments.name, status: experiments.status, taskSetId: experiments.taskSetId })
    .from(experiments)
    .where(eq(experiments.id, id))
    .get();
}

/** The experiment's task set id (null: an import without tasks), undefined when there is no such experiment. */
export function getExperimentTaskSetId(db: DbOrTx, id: number): number | null | undefined {
  return db.select({ taskSetId: experiments.taskSetId }).from(experiments).where(eq(experiments.id, id)).get()?.taskSetId;
}

/** Driver configs and status of every experiment (which ones use an endpoint). */
export function listExperimentDrivers(db: DbOrTx): { id: number; agent: Record<string, unknown>; user: Record<string, unknown>; status: ExperimentRow["status"] }[] {
  return db.select({ id: experiments.id, agent: experiments.agentConfig, user: experiments.userConfig, status: experiments.status }).from(experiments).all();
}
