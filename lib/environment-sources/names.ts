/** Names of the environments WRIT Lab creates by itself (rows.ts, store/environments.ts). */
import { resolve as resolvePath } from "node:path";
import { DEFAULT_STATE_SEED } from "../airline";

export const DEFAULT_ENVIRONMENT_NAME = `Generated airline (seed ${DEFAULT_STATE_SEED})`;

export function tau2EnvironmentName(dir: string): string {
  return `τ² data: ${resolvePath(/*turbopackIgnore: true*/ dir)}`;
}
