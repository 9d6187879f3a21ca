/** Server-side loading for the Environment pages: the chosen environment (default when absent) and the list. */
import { getDb } from "@/db/server";
import { getEnv } from "@/lib/settings";
import { AppError } from "@/lib/errors/app-error";
import { loadEnvironment } from "@/lib/environment-sources/load";
import { listEnvironments } from "@/lib/environment-sources/rows";
import type { ResolvedEnvironment } from "@/lib/environment-sources/resolve";
import type { EnvironmentRow } from "@/db/schema";

export type PageEnvironment =
  | { ok: true; row: EnvironmentRow; env: ResolvedEnvironment; environments: EnvironmentRow[] }
  | { ok: false; message: string; environments: EnvironmentRow[]; currentId: number | undefined };

export function loadPageEnvironment(envParam: string | undefined): PageEnvironment {
  const db = getDb();
  const n = envParam !== undefined ? Number(envParam) : undefined;
  const id = n !== undefined && Number.isSafeInteger(n) && n > 0 ? n : undefined;
  try {
    const { row, env } = loadEnvironment(db, id, { tau2DataDir: getEnv().TAU2_DATA_DIR });
    return { ok: true, row, env, environments: listEnvironments(db) };
  } catch (err) {
    if (err instanceof AppError) return { ok: false, message: err.message, environments: listEnvironments(db), currentId: id };
    throw err;
  }
}
