/**
 * The group list's filters as URL search params (the URL is the state: shareable, and a
 * reload shows the same list). Unknown or malformed values are dropped, not sent.
 */
import type { GroupFilters } from "@/lib/api-client/experiments";

export const OUTCOME_OPTIONS = ["all_pass", "all_fail", "mixed", "pass", "fail"] as const;
export const TERMINATION_OPTIONS = ["user_stop", "agent_stop", "max_turns", "too_many_errors", "error"] as const satisfies readonly NonNullable<GroupFilters["termination"]>[];

/** A termination the filter offers (the select's value, or a URL parameter). */
export function isTerminationOption(v: string): v is (typeof TERMINATION_OPTIONS)[number] {
  return (TERMINATION_OPTIONS as readonly string[]).includes(v);
}

type Raw = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const intOrUndefined = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined);

export function parseGroupFilters(raw: Raw): { filters: GroupFilters; cursor: string | null } {
  const outcome = first(raw.outcome);
  const termination = first(raw.termination);
  const task = first(raw.task)?.trim();
  const behavior = first(raw.behavior)?.trim();
  const filters: GroupFilters = {
    ...(task ? { task } : {}),
    ...(outcome && (OUTCOME_OPTIONS as readonly string[]).includes(outcome) ? { outcome: outcome as GroupFilters["outcome"] } : {}),
    ...(intOrUndefined(first(raw.w)) !== undefined ? { w: intOrUndefined(first(raw.w)) } : {}),
    ...(intOrUndefined(first(raw.b)) !== undefined ? { b: intOrUndefined(first(raw.b)) } : {}),
    ...(behavior ? { behavior } : {}),
    ...(termination && isTerminationOption(termination) ? { termination } : {}),
  };
  const cursor = first(raw.cursor);
  return { filters, cursor: cursor && /^\d+$/.test(cursor) ? cursor : null };
}

/** The query string for filters (+ optional cursor), keys in a fixed order. */
export function groupFiltersQuery(filters: GroupFilters, cursor?: string | null): string {
  const params = new URLSearchParams();
  for (const key of ["task", "outcome", "w", "b", "behavior", "termination"] as const) {
    const v = filters[key];
    if (v !== undefined && v !== "") params.set(key, String(v));
  }
  if (cursor) params.set("cursor", cursor);
  const q = params.toString();
  return q ? `?${q}` : "";
}
