/**
 * Row → resolved environment, with τ² load errors turned into a typed 400/422-style error
 * (the directory is the user's input; a broken db.json must not be a 500).
 */
import type { DbOrTx } from "../../db/client";
import type { EnvironmentRow } from "../../db/schema";
import { DomainLoadError } from "../airline";
import { AppError } from "../errors/app-error";
import { resolveEnvironment, type ResolvedEnvironment } from "./resolve";
import { ensureEnvironments, getDefaultEnvironment, getEnvironmentOrThrow, sourceOfRow } from "./rows";

export class EnvironmentLoadError extends AppError {
  constructor(message: string, cause?: unknown) {
    super("environment_unavailable", message, 422, { cause });
  }
}

export function resolveRow(row: EnvironmentRow): ResolvedEnvironment {
  try {
    return resolveEnvironment(sourceOfRow(row));
  } catch (err) {
    if (err instanceof DomainLoadError) throw new EnvironmentLoadError(`environment "${row.name}": ${err.message}`, err);
    throw err;
  }
}

/** The row and its resolved state; `id` undefined means the default generated environment. */
export function loadEnvironment(
  db: DbOrTx,
  id: number | undefined,
  opts: { tau2DataDir?: string } = {},
): { row: EnvironmentRow; env: ResolvedEnvironment } {
  ensureEnvironments(db, opts);
  const row = id === undefined ? getDefaultEnvironment(db) : getEnvironmentOrThrow(db, id);
  return { row, env: resolveRow(row) };
}
