/** Route-side access to an environment: the db row and its memoised, resolved state. */
import { getDb } from "@/db/server";
import { getEnv } from "@/lib/settings";
import { loadEnvironment } from "@/lib/environment-sources/load";
import { ensureEnvironments } from "@/lib/environment-sources/rows";
import { parseIdParam } from "@/lib/http/respond";

export function openEnvironment(idParam: string | undefined) {
  const id = idParam === undefined ? undefined : parseIdParam(idParam);
  return loadEnvironment(getDb(), id, { tau2DataDir: getEnv().TAU2_DATA_DIR });
}

export function ensureDefaultEnvironments(): void {
  ensureEnvironments(getDb(), { tau2DataDir: getEnv().TAU2_DATA_DIR });
}
