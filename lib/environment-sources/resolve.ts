/**
 * Turn an environment source (the project's generated state with a seed, or a τ² domain
 * directory) into what the rest of the app needs: the base state, the policy text and, for
 * τ² directories, the tasks that ship with it. Memoised per process: a τ² db.json is ~7 MB
 * and must be parsed once, not per request. The memo is a bounded cache (lib/cache/lru.ts,
 * whose registry survives dev-mode hot reloads). Pure apart from reading the directory (no
 * db, no Next.js).
 */
import { resolve as resolvePath } from "node:path";
import { createCache } from "../cache/lru";
import { AIRLINE_POLICY, getGeneratedState, loadDomainDir, type AirlineState } from "../airline";
import type { Task } from "../types/task";

export type EnvironmentSource = { kind: "generated"; seed: number } | { kind: "tau2"; domainDir: string };

export interface ResolvedEnvironment {
  source: EnvironmentSource;
  state: AirlineState;
  policy: string;
  /** Tasks shipped with a τ² directory; undefined for generated states. */
  tasks?: Task[];
  /** Seed recorded in synthesized tasks: the generator seed, or null for a loaded τ² db. */
  stateSeed: number | null;
  /** Which file the state came from (τ²) or "generated (seed N)". */
  label: string;
}

const resolvedCache = createCache<ResolvedEnvironment>({
  name: "environment-sources.resolved",
  maxEntries: 32,
  purpose: "resolved environments by source (a τ² db.json is ~7 MB: parsed once, not per request)",
});

export function sourceKey(source: EnvironmentSource): string {
  return source.kind === "generated" ? `generated:${source.seed}` : `tau2:${resolvePath(/*turbopackIgnore: true*/ source.domainDir)}`;
}

/** Resolve (and memoise) a source. Throws DomainLoadError naming the file and field for a bad τ² directory. */
export function resolveEnvironment(source: EnvironmentSource): ResolvedEnvironment {
  const key = sourceKey(source);
  const hit = resolvedCache.get(key);
  if (hit) return hit;
  let resolved: ResolvedEnvironment;
  if (source.kind === "generated") {
    resolved = {
      source,
      state: getGeneratedState(source.seed),
      policy: AIRLINE_POLICY,
      stateSeed: source.seed,
      label: `generated (seed ${source.seed})`,
    };
  } else {
    const dir = loadDomainDir(source.domainDir);
    resolved = {
      source,
      state: dir.state,
      // A τ² directory without policy.md still gets a policy to show.
      policy: dir.policy.trim() ? dir.policy : AIRLINE_POLICY,
      tasks: dir.tasks,
      stateSeed: null,
      label: dir.dbFile,
    };
  }
  resolvedCache.set(key, resolved);
  return resolved;
}

/** Tests only: forget memoised environments. */
export function clearEnvironmentCache(): void {
  resolvedCache.clear();
}
