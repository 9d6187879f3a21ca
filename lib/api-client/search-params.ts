/**
 * The search page's URL state: the API's own parameter names (GET /api/experiments/:id/search),
 * so a page URL and an API URL carry the same query. Pure.
 */

/** Every parameter the page keeps in its URL (the API's names), in display order. */
export const SEARCH_PARAM_KEYS = ["q", "outcome", "termination", "tier", "mismatch", "tool", "w", "b", "steps", "preset", "agent", "user", "iteration", "c", "estimator"] as const;
export type SearchParamKey = (typeof SEARCH_PARAM_KEYS)[number];
export type SearchParams = Partial<Record<SearchParamKey, string>>;

/** Page search params (Next's record) → the known, non-empty ones. */
export function readSearchParams(sp: Record<string, string | string[] | undefined>): SearchParams {
  const out: SearchParams = {};
  for (const k of SEARCH_PARAM_KEYS) {
    const v = sp[k];
    const s = Array.isArray(v) ? v[0] : v;
    if (s !== undefined && s.trim() !== "") out[k] = s.trim();
  }
  return out;
}

/** The query string of these params (stable order; empty values dropped). */
export function searchQueryString(p: SearchParams, extra: Record<string, string> = {}): string {
  const u = new URLSearchParams();
  for (const k of SEARCH_PARAM_KEYS) {
    const v = p[k];
    if (v !== undefined && v !== "") u.set(k, v);
  }
  for (const [k, v] of Object.entries(extra)) u.set(k, v);
  return u.toString();
}

/** Filters set besides the text query (for the "n filters" label and the clear button). */
export function activeFilterCount(p: SearchParams): number {
  return SEARCH_PARAM_KEYS.filter((k) => k !== "q" && k !== "iteration" && k !== "c" && k !== "estimator" && p[k] !== undefined).length;
}
