/** The experiments the calibration views read: existence and the header a response names. */
import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { experiments } from "../../../db/schema";

export function experimentExists(db: Db, id: number): boolean {
  return db.$client.prepare("SELECT 1 FROM experiments WHERE id = ?").get(id) !== undefined;
}

export interface ExperimentHeader {
  id: number;
  name: string;
  status: string;
  source: string;
}

export function findExperimentHeader(db: Db, id: number): ExperimentHeader | undefined {
  return db
    .select({ id: experiments.id, name: experiments.name, status: experiments.status, source: experiments.source })
    .from(experiments)
    .where(eq(experiments.id, id))
    .get();
}
