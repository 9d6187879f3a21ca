/**
 * Loading for the Environment pages (server components): the chosen environment (the default
 * generated one when absent) and the list for the picker. The page passes the db handle.
 */
import type { DbOrTx } from "../../../db/client";
import type { EnvironmentRow } from "../../../db/schema";
import { AppError } from "../../errors/app-error";
import { loadEnvironment } from "../load";
import { listEnvironments } from "../rows";
import type { ResolvedEnvironment } from "../resolve";

export type PageEnvironment =
  | { ok: true; row: EnvironmentRow; env: ResolvedEnvironment; environments: EnvironmentRow[] }
  | { ok: false; message: string; environments: EnvironmentRow[]; currentId: number | undefined };

export function loadPageEnvironment(db: DbOrTx, envParam: string | undefined, opts: { tau2DataDir?: string }): PageEnvironment {
  const n = envParam !== undefined ? Number(envParam) : undefined;
  const id = n !== undefined && Number.isSafeInteger(n) && n > 0 ? n : undefined;
  try {
    const { row, env } = loadEnvironment(db, id, opts);
    return { ok: true, row, env, environments: listEnvironments(db) };
  } catch (err) {
    if (err instanceof AppError) return { ok: false, message: err.message, environments: listEnvironments(db), currentId: id };
    throw err;
  }
}
