/**
 * Environment rows as the rest of the app sees them: the names WRIT Lab gives its own
 * environments, a row's source and its JSON shape. The queries live in the domain's store
 * (store/environments.ts) and are re-exported here, so pages and jobs keep one import.
 */
import { DEFAULT_STATE_SEED } from "../airline";
import type { EnvironmentRow } from "../../db/schema";
import type { EnvironmentSource } from "./resolve";

export { DEFAULT_ENVIRONMENT_NAME, tau2EnvironmentName } from "./names";
export {
  createEnvironment,
  ensureEnvironments,
  getDefaultEnvironment,
  getEnvironment,
  getEnvironmentByName,
  getEnvironmentOrThrow,
  listEnvironments,
  type NewEnvironmentInput,
} from "./store/environments";

export function sourceOfRow(row: EnvironmentRow): EnvironmentSource {
  if (row.sourceKind === "tau2" && row.domainDir) return { kind: "tau2", domainDir: row.domainDir };
  return { kind: "generated", seed: row.seed ?? DEFAULT_STATE_SEED };
}

/** The JSON shape routes return for an environment row. */
export function publicEnvironment(row: EnvironmentRow) {
  return {
    id: row.id,
    name: row.name,
    source_kind: row.sourceKind,
    seed: row.seed,
    domain_dir: row.domainDir,
    note: row.note,
    created_at: row.createdAt,
  };
}
export type PublicEnvironment = ReturnType<typeof publicEnvironment>;
