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
import { createCache } from "../../cache/lru";
import { deepFreeze } from "../freeze";
import type { AirlineState } from "../schema";

export interface CachedRead {
  content: string;
  value: unknown;
}

/**
 * Bounded: an experiment asks a few hundred distinct reads per base; a runaway caller must
 * not hold every answer. Keys are "<base tag>:<read key>", so answers of a base that is gone
 * are never hit again and age out.
 */
const reads = createCache<CachedRead>({
  name: "airline.base-reads",
  maxEntries: 8192,
  purpose: "answers of read tools that depend on a deep-frozen base state only, shared by its rollouts",
});

// An identity tag per base object (numbers are never reused, so a tag names one base).
const baseTags = new WeakMap<AirlineState, number>();
let nextTag = 0;
function tagOf(base: AirlineState): number {
  let tag = baseTags.get(base);
  if (tag === undefined) baseTags.set(base, (tag = ++nextTag));
  return tag;
}

export function getCachedRead(base: AirlineState, key: string): CachedRead | undefined {
  const tag = baseTags.get(base);
  return tag === undefined ? undefined : reads.get(`${tag}:${key}`);
}

/** Stores a successful answer; returns it with its value frozen (what the caller should hand out). */
export function putCachedRead(base: AirlineState, key: string, content: string, value: unknown): CachedRead {
  const entry = { content, value: deepFreeze(value) };
  reads.set(`${tagOf(base)}:${key}`, entry);
  return entry;
}
