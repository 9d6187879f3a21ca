/**
 * Load a τ² airline domain directory: db.json (or db.reconstructed.json), tasks.json,
 * optional split_tasks.json and policy.md. Errors name the file, the record and the field.
 * The returned state is deep-frozen: it is the shared base for every rollout.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { z } from "zod";
import { taskListSchema, type Task } from "../types/task";
import { deepFreeze } from "./freeze";
import { describeJsonErrorPosition } from "./json-position";
import { flightSchema, reservationSchema, userSchema, type AirlineState } from "./schema";

export class DomainLoadError extends Error {}

export interface DomainDir {
  state: AirlineState;
  tasks: Task[];
  policy: string;
  splits: Record<string, string[]> | null;
  dbFile: string;
}

export const DB_FILE_NAMES = ["db.json", "db.reconstructed.json"] as const;

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new DomainLoadError(`${file}: cannot read (${(e as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON.parse's message: it quotes the file's first characters (see json-position.ts).
    throw new DomainLoadError(`${file}: not valid JSON (${describeJsonErrorPosition(text)})`);
  }
}

function issuePath(issue: z.core.$ZodIssue): string {
  return issue.path.map(String).join(".") || "(record)";
}

/** Validate each record of one section so the message can name it. */
function parseSection<T>(file: string, section: string, raw: unknown, schema: z.ZodType<T>): Record<string, T> {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new DomainLoadError(`${file}: "${section}" must be an object keyed by id`);
  }
  const out: Record<string, T> = {};
  for (const [id, rec] of Object.entries(raw as Record<string, unknown>)) {
    const res = schema.safeParse(rec);
    if (!res.success) {
      const issue = res.error.issues[0];
      throw new DomainLoadError(`${file}: ${section} record "${id}", field ${issuePath(issue)}: ${issue.message}`);
    }
    out[id] = res.data;
  }
  return out;
}

/** Parse a state object (as found in db.json); `file` only labels error messages. */
export function parseAirlineState(raw: unknown, file = "state"): AirlineState {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new DomainLoadError(`${file}: top level must be an object`);
  const obj = raw as Record<string, unknown>;
  for (const key of ["flights", "users", "reservations"]) {
    if (!(key in obj)) throw new DomainLoadError(`${file}: missing top-level field "${key}"`);
  }
  return {
    flights: parseSection(file, "flights", obj.flights, flightSchema),
    users: parseSection(file, "users", obj.users, userSchema),
    reservations: parseSection(file, "reservations", obj.reservations, reservationSchema),
  };
}

export function loadTasksFile(file: string): Task[] {
  const raw = readJson(file);
  if (!Array.isArray(raw)) throw new DomainLoadError(`${file}: must be a JSON array of tasks`);
  const res = taskListSchema.safeParse(raw);
  if (!res.success) {
    const issue = res.error.issues[0];
    const idx = issue.path[0];
    const rec = typeof idx === "number" ? raw[idx] : undefined;
    const id = rec && typeof rec === "object" && "id" in rec ? ` (id ${JSON.stringify((rec as { id: unknown }).id)})` : "";
    throw new DomainLoadError(`${file}: task #${String(idx)}${id}, field ${issue.path.slice(1).map(String).join(".") || "(record)"}: ${issue.message}`);
  }
  return res.data;
}

export function loadDomainDir(dir: string): DomainDir {
  if (!existsSync(dir)) throw new DomainLoadError(`${dir}: domain directory not found`);
  const dbName = DB_FILE_NAMES.find((n) => existsSync(join(dir, n)));
  if (!dbName) throw new DomainLoadError(`${dir}: no ${DB_FILE_NAMES.join(" or ")} found`);
  const dbFile = join(dir, dbName);
  const state = deepFreeze(parseAirlineState(readJson(dbFile), dbFile));

  const tasksFile = join(dir, "tasks.json");
  if (!existsSync(tasksFile)) throw new DomainLoadError(`${tasksFile}: file not found`);
  const tasks = loadTasksFile(tasksFile);

  const policyFile = join(dir, "policy.md");
  if (!existsSync(policyFile)) throw new DomainLoadError(`${policyFile}: file not found`);
  const policy = readFileSync(policyFile, "utf8");

  let splits: Record<string, string[]> | null = null;
  const splitFile = join(dir, "split_tasks.json");
  if (existsSync(splitFile)) {
    const raw = readJson(splitFile);
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new DomainLoadError(`${splitFile}: must be an object of split name → task ids`);
    splits = {};
    for (const [name, ids] of Object.entries(raw as Record<string, unknown>)) {
      if (!Array.isArray(ids) || !ids.every((x) => typeof x === "string")) {
        throw new DomainLoadError(`${splitFile}: split "${name}" must be an array of task id strings`);
      }
      splits[name] = ids as string[];
    }
  }
  return { state, tasks, policy, splits, dbFile };
}
