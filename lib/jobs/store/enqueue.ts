/**
 * Enqueue: validate the payload against its kind's schema (lib/jobs/kinds.ts) and insert the
 * job. Takes the db or a transaction, so a job can be created in the same transaction as
 * the row it serves.
 */
import type { DbOrTx } from "../../../db/client";
import { jobs, type JobRow } from "../../../db/schema";
import { getJobKind } from "../registry";
import { validateJobPayload } from "../validate";

export interface EnqueueOptions {
  priority?: number;
  runAt?: number;
  maxAttempts?: number;
}

export function enqueueJob(db: DbOrTx, name: string, payload: unknown, options: EnqueueOptions = {}): JobRow {
  const data = validateJobPayload(name, payload);
  const kind = getJobKind(name);
  return db
    .insert(jobs)
    .values({
      name,
      payload: data,
      priority: options.priority ?? 0,
      runAt: options.runAt ?? Date.now(),
      maxAttempts: options.maxAttempts ?? kind?.maxAttempts ?? 5,
    })
    .returning()
    .get();
}
