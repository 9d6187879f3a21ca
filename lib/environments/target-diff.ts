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
      records.push({ kind, id, added: !before, changes: fieldChanges(before, after, kind) });
    }
  }
  return { writes, diff, records };
}

/** Top-level fields that differ; for flights, one entry per changed date (the whole dates map is noise). */
function fieldChanges(before: Record<string, unknown> | undefined, after: Record<string, unknown>, kind: keyof StateDiff): FieldChange[] {
  const out: FieldChange[] = [];
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  for (const key of [...keys].sort()) {
    const b = before?.[key];
    const a = after[key];
    if (canonicalJson(b) === canonicalJson(a)) continue;
    if (kind === "flights" && key === "dates" && b && a && typeof b === "object" && typeof a === "object") {
      const bd = b as Record<string, unknown>;
      const ad = a as Record<string, unknown>;
      for (const d of [...new Set([...Object.keys(bd), ...Object.keys(ad)])].sort()) {
        if (canonicalJson(bd[d]) !== canonicalJson(ad[d])) out.push({ field: `dates.${d}`, before: bd[d], after: ad[d] });
      }
      continue;
    }
    out.push({ field: key, before: b, after: a });
  }
  return out;
}
