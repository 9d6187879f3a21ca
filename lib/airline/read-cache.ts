/**
 * Answers of read tools that depend on the shared base state only, kept per base.
 *
 * The N rollouts of a group (and the groups of an experiment) ask the same lookups and
 * searches of the same base over and over; each answer used to be recomputed and
 * JSON-serialised per call. AirlineEnv asks here only when the answer cannot depend on its
 * own overlay (see AirlineEnv#baseReadKey) and the base is deep-frozen, so a cached
 * answer equals a fresh one. Values are deep-frozen, keeping the `value is a snapshot`
 * contract (nobody can change what another rollout was given).
 */
import { deepFreeze } from "./freeze";
import type { AirlineState } from "./schema";

export interface CachedRead {
  content: string;
  value: unknown;
}

/** Bounded: an experiment asks a few hundred distinct reads; a runaway caller must not hold every answer. */
const MAX_ENTRIES_PER_BASE = 4096;
const caches = new WeakMap<AirlineState, Map<string, CachedRead>>();

export function getCachedRead(base: AirlineState, key: string): CachedRead | undefined {
  return caches.get(base)?.get(key);
}

/** Stores a successful answer; returns it with its value frozen (what the caller should hand out). */
export function putCachedRead(base: AirlineState, key: string, content: string, value: unknown): CachedRead {
  let cache = caches.get(base);
  if (!cache) caches.set(base, (cache = new Map()));
  if (cache.size >= MAX_ENTRIES_PER_BASE) cache.clear();
  const entry = { content, value: deepFreeze(value) };
  cache.set(key, entry);
  return entry;
}
