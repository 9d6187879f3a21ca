/**
 * A task's target state: execute its gold WRITE actions on a copy-on-write environment
 * over the base state and report env.diff() plus a field-level before → after view of each
 * changed record (what the Tasks detail page shows). Tool errors are reported, not thrown:
 * an imported task may not replay on a different state.
 */
import { AirlineEnv, WRITE_TOOLS, canonicalJson, type AirlineState, type StateDiff } from "../airline";
import type { Task } from "../types/task";

export interface GoldWriteResult {
  name: string;
  arguments: Record<string, unknown>;
  error: boolean;
  /** What the tool answered (JSON text or the error). */
  content: string;
}

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface RecordChange {
  kind: keyof StateDiff;
  id: string;
  added: boolean;
  changes: FieldChange[];
}

export interface TargetDiff {
  writes: GoldWriteResult[];
  diff: StateDiff;
  records: RecordChange[];
}

const WRITE_SET = new Set(WRITE_TOOLS);

export function goldActions(task: Task) {
  return task.evaluation_criteria?.actions ?? [];
}

export function goldWriteActions(task: Task) {
  return goldActions(task).filter((a) => WRITE_SET.has(a.name));
}

/** The read plan: WRIT's own minimal plan when present, else the non-write gold actions. */
export function goldReadPlan(task: Task): { name: string; arguments: Record<string, unknown> }[] {
  if (task.writ?.read_plan) return task.writ.read_plan.map((a) => ({ name: a.name, arguments: a.arguments }));
  return goldActions(task)
    .filter((a) => !WRITE_SET.has(a.name))
    .map((a) => ({ name: a.name, arguments: a.arguments }));
}

export function computeTargetDiff(state: AirlineState, task: Task): TargetDiff {
  const env = new AirlineEnv(state);
  const writes: GoldWriteResult[] = goldWriteActions(task).map((a) => {
    const r = env.call(a.name, a.arguments);
    return { name: a.name, arguments: a.arguments, error: r.error, content: r.content };
  });
  const diff = env.diff();
  const records: RecordChange[] = [];
  for (const kind of ["users", "reservations", "flights"] as const) {
    const base = state[kind] as Record<string, unknown>;
    const changed = diff[kind] as Record<string, unknown>;
    for (const id of Object.keys(changed).sort()) {
      const after = changed[id] as Record<string, unknown>;
      const before = Object.prototype.hasOwnProperty.call(base, id) ? (base[id] as Record<string, unknown>) : undefined;
      records.push({ kind, id, added: !before, changes: fieldChanges(before, after) });
    }
  }
  return { writes, diff, records };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Top-level fields that differ. A field holding a keyed map (a flight's dates, a user's
 * payment methods) is split one level further, so adding a certificate shows as one new
 * entry instead of the whole map twice.
 */
function fieldChanges(before: Record<string, unknown> | undefined, after: Record<string, unknown>): FieldChange[] {
  const out: FieldChange[] = [];
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  for (const key of [...keys].sort()) {
    const b = before?.[key];
    const a = after[key];
    if (canonicalJson(b) === canonicalJson(a)) continue;
    if (before && isPlainObject(b) && isPlainObject(a) && key !== "name" && key !== "address") {
      for (const k of [...new Set([...Object.keys(b), ...Object.keys(a)])].sort()) {
        if (canonicalJson(b[k]) !== canonicalJson(a[k])) out.push({ field: `${key}.${k}`, before: b[k], after: a[k] });
      }
      continue;
    }
    out.push({ field: key, before: b, after: a });
  }
  return out;
}
