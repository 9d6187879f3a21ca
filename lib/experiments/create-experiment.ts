/**
 * Create an experiment and launch it: the experiment row, its groups and its rollouts.run
 * job are written in ONE immediate transaction (store/create.ts). Input is zod-validated;
 * errors name the field. The stored driver configs hold no API key (schemas.ts rejects
 * unknown keys such as api_key).
 */
import type { DbOrTx } from "../../db/client";
import type { ExperimentRow, JobRow } from "../../db/schema";
import { createExperimentSchema } from "./schemas";
import { insertExperimentWithJob, type CreateExperimentOptions } from "./store/create";

export type { CreateExperimentOptions } from "./store/create";

export function createExperiment(db: DbOrTx, raw: unknown, options: CreateExperimentOptions = {}): { experiment: ExperimentRow; job: JobRow } {
  return insertExperimentWithJob(db, createExperimentSchema.parse(raw), options);
}
