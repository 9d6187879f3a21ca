/**
 * The exports domain's database access: export jobs (job rows of `exports.create`), the
 * rollout count an export's progress bar runs to, and where the database file lives (export
 * files go next to it, ./files.ts).
 */
import { and, desc, eq, ne, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { jobs, rollouts, type JobRow } from "../../db/schema";
import { EXPORT_JOB_NAME } from "./schemas";

/** Rollouts an export reads (every finished one): the progress bar's total. */
export function countExportableRollouts(db: Db, experimentId: number): number {
  return db
    .select({ n: sql<number>`count(*)` })
    .from(rollouts)
    .where(and(eq(rollouts.experimentId, experimentId), ne(rollouts.status, "running")))
    .get()!.n;
}

export function getExportJob(db: Db, id: number): JobRow | undefined {
  return db.select().from(jobs).where(and(eq(jobs.id, id), eq(jobs.name, EXPORT_JOB_NAME))).get();
}

/** An experiment's export jobs, newest first. */
export function listExportJobs(db: Db, experimentId: number, limit: number): JobRow[] {
  return db
    .select()
    .from(jobs)
    .where(and(eq(jobs.name, EXPORT_JOB_NAME), sql`json_extract(${jobs.payload}, '$.experiment_id') = ${experimentId}`))
    .orderBy(desc(jobs.id))
    .limit(limit)
    .all();
}

/** Removes an export's job row (its file is removed first, by the caller). */
export function deleteExportJob(db: Db, id: number): void {
  db.delete(jobs).where(eq(jobs.id, id)).run();
}

/** The database file's path ("" or ":memory:" for an in-memory database). */
export function databaseFileOf(db: Db): string {
  return db.$client.name;
}
