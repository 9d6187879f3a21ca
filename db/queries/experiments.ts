/**
 * Experiments: rows, lists (keyset, newest first) and status changes. Counters are bumped
 * by finalizeRollout (db/queries/rollouts.ts); nothing here counts rollouts by scanning.
 */
import { and, desc, eq, inArray, lt, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { experiments, groups, jobs, taskSets, type ExperimentRow, type ExperimentStatus, type JobRow } from "../schema";

export interface ListExperimentsOptions {
  limit?: number;
  cursor?: number;
  status?: ExperimentStatus;
}

export interface ExperimentListRow {
  experiment: ExperimentRow;
  taskSetName: string | null;
  groupCount: number;
  job: JobRow | null;
}

export function getExperimentRow(db: DbOrTx, id: number): ExperimentRow | undefined {
  return db.select().from(experiments).where(eq(experiments.id, id)).get();
}

export function getExperimentByName(db: DbOrTx, name: string): ExperimentRow | undefined {
  return db.select().from(experiments).where(eq(experiments.name, name)).orderBy(desc(experiments.id)).get();
}

function decorate(db: DbOrTx, rows: ExperimentRow[]): ExperimentListRow[] {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const setIds = [...new Set(rows.map((r) => r.taskSetId).filter((x): x is number => x !== null))];
  const jobIds = [...new Set(rows.map((r) => r.jobId).filter((x): x is number => x !== null))];
  const setNames = new Map(
    setIds.length
      ? db.select({ id: taskSets.id, name: taskSets.name }).from(taskSets).where(inArray(taskSets.id, setIds)).all().map((r) => [r.id, r.name])
      : [],
  );
  const groupCounts = new Map(
    db
      .select({ id: groups.experimentId, n: sql<number>`count(*)` })
      .from(groups)
      .where(inArray(groups.experimentId, ids))
      .groupBy(groups.experimentId)
      .all()
      .map((r) => [r.id, r.n]),
  );
  const jobRows = new Map(jobIds.length ? db.select().from(jobs).where(inArray(jobs.id, jobIds)).all().map((j) => [j.id, j]) : []);
  return rows.map((experiment) => ({
    experiment,
    taskSetName: experiment.taskSetId !== null ? (setNames.get(experiment.taskSetId) ?? null) : null,
    groupCount: groupCounts.get(experiment.id) ?? 0,
    job: experiment.jobId !== null ? (jobRows.get(experiment.jobId) ?? null) : null,
  }));
}

export function listExperiments(db: DbOrTx, options: ListExperimentsOptions = {}): { rows: ExperimentListRow[]; nextCursor: number | null } {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const where: SQL[] = [];
  if (options.cursor) where.push(lt(experiments.id, options.cursor));
  if (options.status) where.push(eq(experiments.status, options.status));
  const rows = db
    .select()
    .from(experiments)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(experiments.id))
    .limit(limit + 1)
    .all();
  const page = rows.slice(0, limit);
  return { rows: decorate(db, page), nextCursor: rows.length > limit ? page[page.length - 1].id : null };
}

export function getExperimentListRow(db: DbOrTx, id: number): ExperimentListRow | undefined {
  const row = getExperimentRow(db, id);
  return row ? decorate(db, [row])[0] : undefined;
}

export function setExperimentStatus(
  db: DbOrTx,
  id: number,
  status: ExperimentStatus,
  extra: { error?: string | null; now?: number } = {},
): void {
  const now = extra.now ?? Date.now();
  const set: Partial<ExperimentRow> = { status, updatedAt: now };
  if (extra.error !== undefined) set.error = extra.error;
  if (status === "running") {
    db.update(experiments)
      .set({ ...set, startedAt: sql<number>`coalesce(${experiments.startedAt}, ${now})`, finishedAt: null })
      .where(eq(experiments.id, id))
      .run();
    return;
  }
  if (status === "completed" || status === "failed" || status === "cancelled") set.finishedAt = now;
  db.update(experiments).set(set).where(eq(experiments.id, id)).run();
}
