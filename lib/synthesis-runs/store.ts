/**
 * The task-set store used by the synthesis.run job, the task-set API and the Tasks pages: the
 * one module of lib/synthesis-runs that touches the database (lib/synthesis, the generator,
 * stays pure). Queries take the db (or a transaction) first; every list reads the compact
 * columns, bodies load only in detail views.
 */
import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { jobs, taskSets, tasks, type TaskRow, type TaskSetRow, type TaskSetStatus } from "../../db/schema";
import { WRITE_TOOLS } from "../airline";
import { ConflictError, NotFoundError, ValidationError } from "../errors/app-error";
import type { Task } from "../types/task";
import type { SynthesisReport } from "../synthesis/synthesize";

const WRITE_SET = new Set(WRITE_TOOLS);

// ---- task → columns ---------------------------------------------------------------------

export interface TaskColumns {
  writes: number;
  evidenceTotal: number;
  evidenceCell: number | null;
  behavior: string | null;
  decisionTypes: string[];
  stateSeed: number | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * W, B-total, the cell's B, behaviour and decision types. WRIT tasks carry them in `writ`;
 * for plain τ² tasks they are read off the gold actions (writes = write actions, B-total =
 * the other actions, decision types = the write tools used).
 */
export function taskColumns(task: Task): TaskColumns {
  const actions = task.evaluation_criteria?.actions ?? [];
  const writeActions = actions.filter((a) => WRITE_SET.has(a.name));
  const writ = task.writ as (Record<string, unknown> & NonNullable<Task["writ"]>) | undefined;
  const distinct = (xs: string[]) => [...new Set(xs)].sort();
  if (!writ) {
    return {
      writes: writeActions.length,
      evidenceTotal: actions.length - writeActions.length,
      evidenceCell: null,
      behavior: null,
      decisionTypes: distinct(writeActions.map((a) => a.name)),
      stateSeed: null,
    };
  }
  const cell = isRecord(writ.cell) && typeof writ.cell.evidence === "number" ? writ.cell.evidence : null;
  const decisions = Array.isArray(writ.decisions) ? writ.decisions : [];
  const templates = decisions
    .map((d) => (isRecord(d) && typeof d.template === "string" ? d.template : null))
    .filter((t): t is string => t !== null);
  const totalReads = typeof writ.total_reads === "number" ? writ.total_reads : writ.read_plan.length;
  return {
    writes: writ.writes,
    evidenceTotal: totalReads,
    evidenceCell: cell ?? (writ.evidence.length ? Math.max(...writ.evidence) : null),
    behavior: writ.behavior,
    decisionTypes: distinct(templates.length ? templates : writeActions.map((a) => a.name)),
    stateSeed: writ.state_seed,
  };
}

// ---- task sets -----------------------------------------------------------------------------

export function getTaskSet(db: DbOrTx, id: number): TaskSetRow | undefined {
  return db.select().from(taskSets).where(eq(taskSets.id, id)).get();
}

export function getTaskSetOrThrow(db: DbOrTx, id: number): TaskSetRow {
  const row = getTaskSet(db, id);
  if (!row) throw new NotFoundError(`task set ${id} not found`);
  return row;
}

export function getTaskSetByName(db: DbOrTx, name: string): TaskSetRow | undefined {
  return db.select().from(taskSets).where(eq(taskSets.name, name)).get();
}

export interface NewTaskSet {
  name: string;
  environmentId: number | null;
  source: TaskSetRow["source"];
  /** The synthesis config (stored as JSON). */
  config?: object | null;
  status: TaskSetStatus;
}

/** A config or report object as the JSON record its column holds (the same own keys). */
function jsonRecord(value: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value));
}

export function createTaskSet(db: DbOrTx, input: NewTaskSet): TaskSetRow {
  if (getTaskSetByName(db, input.name)) throw new ValidationError(`a task set named "${input.name}" already exists`, "name");
  return db
    .insert(taskSets)
    .values({
      name: input.name,
      environmentId: input.environmentId,
      source: input.source,
      config: input.config ? jsonRecord(input.config) : null,
      status: input.status,
    })
    .returning()
    .get();
}

export function updateTaskSetStatus(
  db: DbOrTx,
  id: number,
  status: TaskSetStatus,
  extra: { error?: string | null; jobId?: number } = {},
): void {
  db.update(taskSets)
    .set({ status, ...(extra.error !== undefined ? { error: extra.error } : {}), ...(extra.jobId !== undefined ? { jobId: extra.jobId } : {}) })
    .where(eq(taskSets.id, id))
    .run();
}

const CHUNK = 200;

/** Insert tasks (ids must be unique within the set; the caller checked). */
export function insertTasks(db: DbOrTx, taskSetId: number, list: readonly Task[]): void {
  for (let i = 0; i < list.length; i += CHUNK) {
    const rows = list.slice(i, i + CHUNK).map((task) => ({ taskSetId, taskId: task.id, body: task, ...taskColumns(task) }));
    if (rows.length) db.insert(tasks).values(rows).run();
  }
}

/** Replace the set's tasks with a synthesis result and mark it ready, atomically (a retried job redoes it cleanly). */
export function storeSynthesisResult(db: DbOrTx, taskSetId: number, list: readonly Task[], report: SynthesisReport): void {
  db.transaction(
    (tx) => {
      getTaskSetOrThrow(tx, taskSetId);
      tx.delete(tasks).where(eq(tasks.taskSetId, taskSetId)).run();
      insertTasks(tx, taskSetId, list);
      tx.update(taskSets)
        .set({ status: "ready", report: jsonRecord(report), taskCount: list.length, error: null })
        .where(eq(taskSets.id, taskSetId))
        .run();
    },
    { behavior: "immediate" },
  );
}

/** A set built in place (the demo seed): its report and task count, tasks already inserted. */
export function setTaskSetReport(db: DbOrTx, taskSetId: number, taskCount: number, report: SynthesisReport): void {
  db.update(taskSets).set({ taskCount, report: jsonRecord(report) }).where(eq(taskSets.id, taskSetId)).run();
}

/** A whole imported τ² tasks.json as a ready task set, in one transaction. */
export function importTaskSet(db: DbOrTx, input: { name: string; environmentId: number | null; tasks: readonly Task[] }): TaskSetRow {
  const seen = new Map<string, number>();
  input.tasks.forEach((t, i) => {
    const prev = seen.get(t.id);
    if (prev !== undefined) throw new ValidationError(`import[${i}].id: duplicate task id "${t.id}" (also at index ${prev})`, `import[${i}].id`);
    seen.set(t.id, i);
  });
  return db.transaction((tx) => {
    const set = createTaskSet(tx, { name: input.name, environmentId: input.environmentId, source: "tau2", status: "ready" });
    insertTasks(tx, set.id, input.tasks);
    return tx.update(taskSets).set({ taskCount: input.tasks.length }).where(eq(taskSets.id, set.id)).returning().get();
  });
}

export function deleteTaskSet(db: DbOrTx, id: number): void {
  const set = getTaskSetOrThrow(db, id);
  if (set.status === "queued" || set.status === "running") throw new ConflictError(`task set ${id} is still ${set.status}`);
  db.delete(taskSets).where(eq(taskSets.id, id)).run();
}

// ---- read side -----------------------------------------------------------------------------

export interface TaskSetSummary {
  id: number;
  name: string;
  source: TaskSetRow["source"];
  environment_id: number | null;
  /** The set's own status, corrected by its job's (a job that failed before the handler ran never updates the set). */
  status: TaskSetStatus;
  task_count: number;
  requested: number | null;
  error: string | null;
  job: { id: number; status: string; progress: { done: number; total: number | null; message: string | null } } | null;
  created_at: number;
}

type JobBits = { id: number; status: string; progressDone: number; progressTotal: number | null; progressMessage: string | null; error: string | null };

function summarize(set: TaskSetRow, job: JobBits | undefined): TaskSetSummary {
  let status = set.status;
  let error = set.error;
  if ((status === "queued" || status === "running") && job && (job.status === "failed" || job.status === "cancelled")) {
    status = job.status;
    error = error ?? job.error;
  }
  const report = set.report as { total_requested?: unknown } | null;
  return {
    id: set.id,
    name: set.name,
    source: set.source,
    environment_id: set.environmentId,
    status,
    task_count: set.taskCount,
    requested: typeof report?.total_requested === "number" ? report.total_requested : null,
    error,
    job: job
      ? { id: job.id, status: job.status, progress: { done: job.progressDone, total: job.progressTotal, message: job.progressMessage } }
      : null,
    created_at: set.createdAt,
  };
}

function jobsById(db: DbOrTx, ids: number[]): Map<number, JobBits> {
  if (!ids.length) return new Map();
  const rows = db
    .select({
      id: jobs.id,
      status: jobs.status,
      progressDone: jobs.progressDone,
      progressTotal: jobs.progressTotal,
      progressMessage: jobs.progressMessage,
      error: jobs.error,
    })
    .from(jobs)
    .where(inArray(jobs.id, ids))
    .all();
  return new Map(rows.map((r) => [r.id, r]));
}

export function listTaskSets(db: DbOrTx): TaskSetSummary[] {
  const sets = db.select().from(taskSets).orderBy(desc(taskSets.id)).all();
  const byId = jobsById(db, sets.map((s) => s.jobId).filter((x): x is number => x !== null));
  return sets.map((s) => summarize(s, s.jobId !== null ? byId.get(s.jobId) : undefined));
}

export function getTaskSetSummary(db: DbOrTx, id: number): { set: TaskSetRow; summary: TaskSetSummary } {
  const set = getTaskSetOrThrow(db, id);
  const job = set.jobId !== null ? jobsById(db, [set.jobId]).get(set.jobId) : undefined;
  return { set, summary: summarize(set, job) };
}

export interface TaskFilter {
  writes?: number;
  /** The grid cell's B (per decision). */
  evidence?: number;
  /** Reads of the whole task (B-total). */
  evidenceTotal?: number;
  behavior?: string;
  decisionType?: string;
  page?: number;
  pageSize?: number;
}

export interface TaskSummary {
  id: number;
  task_id: string;
  writes: number | null;
  evidence: number | null;
  evidence_total: number | null;
  behavior: string | null;
  decision_types: string[];
}

function toSummary(r: Pick<TaskRow, "id" | "taskId" | "writes" | "evidenceCell" | "evidenceTotal" | "behavior" | "decisionTypes">): TaskSummary {
  return {
    id: r.id,
    task_id: r.taskId,
    writes: r.writes,
    evidence: r.evidenceCell,
    evidence_total: r.evidenceTotal,
    behavior: r.behavior,
    decision_types: r.decisionTypes,
  };
}

export function listTasks(db: DbOrTx, taskSetId: number, filter: TaskFilter = {}) {
  const where: SQL[] = [eq(tasks.taskSetId, taskSetId)];
  if (filter.writes !== undefined) where.push(eq(tasks.writes, filter.writes));
  if (filter.evidence !== undefined) where.push(eq(tasks.evidenceCell, filter.evidence));
  if (filter.evidenceTotal !== undefined) where.push(eq(tasks.evidenceTotal, filter.evidenceTotal));
  if (filter.behavior) where.push(eq(tasks.behavior, filter.behavior));
  if (filter.decisionType) {
    where.push(sql`exists (select 1 from json_each(${tasks.decisionTypes}) where json_each.value = ${filter.decisionType})`);
  }
  const cond = and(...where);
  const total = db.select({ n: sql<number>`count(*)` }).from(tasks).where(cond).get()?.n ?? 0;
  const pageSize = Math.min(Math.max(filter.pageSize ?? 50, 1), 500);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(filter.page ?? 1, 1), pageCount);
  const rows = db
    .select({
      id: tasks.id,
      taskId: tasks.taskId,
      writes: tasks.writes,
      evidenceCell: tasks.evidenceCell,
      evidenceTotal: tasks.evidenceTotal,
      behavior: tasks.behavior,
      decisionTypes: tasks.decisionTypes,
    })
    .from(tasks)
    .where(cond)
    .orderBy(asc(tasks.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .all();
  return { tasks: rows.map(toSummary), total, page, pageSize, pageCount };
}

/** Distinct filter values of a set (for the filter pickers) and the W × B counts of its tasks. */
export function taskSetFacets(db: DbOrTx, taskSetId: number) {
  const cells = db
    .select({ writes: tasks.writes, evidence: tasks.evidenceCell, n: sql<number>`count(*)` })
    .from(tasks)
    .where(eq(tasks.taskSetId, taskSetId))
    .groupBy(tasks.writes, tasks.evidenceCell)
    .all();
  const totals = db
    .select({ writes: tasks.writes, evidenceTotal: tasks.evidenceTotal, n: sql<number>`count(*)` })
    .from(tasks)
    .where(eq(tasks.taskSetId, taskSetId))
    .groupBy(tasks.writes, tasks.evidenceTotal)
    .all();
  const behaviors = db
    .selectDistinct({ b: tasks.behavior })
    .from(tasks)
    .where(eq(tasks.taskSetId, taskSetId))
    .all()
    .map((r) => r.b)
    .filter((b): b is string => !!b)
    .sort();
  const decisionTypes = db
    .all<{ v: unknown }>(
      sql`SELECT DISTINCT j.value AS v FROM ${tasks}, json_each(${tasks.decisionTypes}) j WHERE ${tasks.taskSetId} = ${taskSetId} ORDER BY v`,
    )
    .map((r) => String(r.v));
  return {
    cells: cells.map((c) => ({ writes: c.writes, evidence: c.evidence, count: c.n })),
    /** W × B-total counts (the only grid an imported τ² set has). */
    totals: totals.map((c) => ({ writes: c.writes, evidenceTotal: c.evidenceTotal, count: c.n })),
    writes: [...new Set(cells.map((c) => c.writes).filter((x): x is number => x !== null))].sort((a, b) => a - b),
    evidence: [...new Set(cells.map((c) => c.evidence).filter((x): x is number => x !== null))].sort((a, b) => a - b),
    behaviors,
    decisionTypes,
  };
}

export function getTaskRow(db: DbOrTx, id: number): TaskRow | undefined {
  return db.select().from(tasks).where(eq(tasks.id, id)).get();
}

export function getTaskRowOrThrow(db: DbOrTx, id: number): TaskRow {
  const row = getTaskRow(db, id);
  if (!row) throw new NotFoundError(`task ${id} not found`);
  return row;
}

export function getTaskInSet(db: DbOrTx, taskSetId: number, taskId: string): TaskRow | undefined {
  return db
    .select()
    .from(tasks)
    .where(and(eq(tasks.taskSetId, taskSetId), eq(tasks.taskId, taskId)))
    .get();
}

/** The τ² tasks.json array of a set, in insertion order. */
export function exportTaskBodies(db: DbOrTx, taskSetId: number): Task[] {
  return db
    .select({ body: tasks.body })
    .from(tasks)
    .where(eq(tasks.taskSetId, taskSetId))
    .orderBy(asc(tasks.id))
    .all()
    .map((r) => r.body);
}

/** The JSON shape routes return for a task set (with its report). */
export function publicTaskSet(set: TaskSetRow, summary: TaskSetSummary) {
  return { ...summary, config: set.config, report: set.report };
}

export function publicTask(row: TaskRow) {
  return { ...toSummary(row), task_set_id: row.taskSetId, state_seed: row.stateSeed, body: row.body };
}
