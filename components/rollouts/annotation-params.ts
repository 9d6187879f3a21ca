/**
 * The reward config the rollout browser annotates with, as URL parameters (pure; tested).
 * Same vocabulary as the workbench: a saved iteration (`iteration`, or the workbench's `it`)
 * plus its compact unsaved diff `c`; `estimator` overrides the config's estimator; `compare`
 * (an iteration id) and `cc` (a diff relative to it) name the second config; `tier` is the
 * tier the `t` key jumps through.
 */
import { TIER_NAMES, type TierName } from "@/lib/rewards";

export interface BrowserConfigParams {
  iteration: number | null;
  c: string;
  estimator: string;
  compare: number | null;
  cc: string;
  tier: TierName | null;
}

export const NO_CONFIG_PARAMS: BrowserConfigParams = { iteration: null, c: "", estimator: "", compare: null, cc: "", tier: null };

type Params = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? "") : (v ?? ""));
const posInt = (v: string): number | null => (/^[1-9]\d{0,15}$/.test(v) ? Number(v) : null);

export function readConfigParams(sp: Params): BrowserConfigParams {
  const tier = first(sp.tier);
  return {
    iteration: posInt(first(sp.iteration) || first(sp.it)),
    c: first(sp.c).slice(0, 2000),
    estimator: first(sp.estimator),
    compare: posInt(first(sp.compare)),
    cc: first(sp.cc).slice(0, 2000),
    tier: (TIER_NAMES as readonly string[]).includes(tier) ? (tier as TierName) : null,
  };
}

/** The annotation API's query for these params ("" = the experiment's latest iteration). */
export function annotationQuery(p: BrowserConfigParams): string {
  const q = new URLSearchParams();
  if (p.iteration !== null) q.set("iteration", String(p.iteration));
  if (p.c) q.set("c", p.c);
  if (p.estimator) q.set("estimator", p.estimator);
  if (p.compare !== null) q.set("compare", String(p.compare));
  if (p.cc) q.set("cc", p.cc);
  return q.toString();
}

/** Writes the params into a URL's query, leaving turn/sibling and anything else alone. */
export function writeConfigParams(url: URL, p: BrowserConfigParams): URL {
  const s = url.searchParams;
  for (const k of ["iteration", "it", "c", "estimator", "compare", "cc", "tier"]) s.delete(k);
  if (p.iteration !== null) s.set("iteration", String(p.iteration));
  if (p.c) s.set("c", p.c);
  if (p.estimator) s.set("estimator", p.estimator);
  if (p.compare !== null) s.set("compare", String(p.compare));
  if (p.cc) s.set("cc", p.cc);
  if (p.tier) s.set("tier", p.tier);
  return url;
}

/** Query part carrying the config to another browser page (rollout ↔ group links). */
export function configSuffix(p: BrowserConfigParams): string {
  const u = writeConfigParams(new URL("http://x/"), p);
  return u.searchParams.toString();
}

/**
 * The group browser at an analysis turn (0-based agent-turn index `k`, the browser's row k + 1),
 * under the workbench's config (`it`, `c`), optionally compared with a second iteration.
 */
export function browserHref(args: {
  experimentId: number;
  groupId: string;
  k?: number;
  sibling?: number;
  iteration?: number | null;
  c?: string;
  compare?: number | null;
  tier?: TierName | null;
}): string {
  const q = new URLSearchParams();
  if (args.k !== undefined) q.set("turn", String(args.k + 1));
  if (args.sibling !== undefined) q.set("sibling", String(args.sibling));
  if (args.iteration != null) q.set("iteration", String(args.iteration));
  if (args.c) q.set("c", args.c);
  if (args.compare != null) q.set("compare", String(args.compare));
  if (args.tier) q.set("tier", args.tier);
  const qs = q.toString().replace(/%3A/gi, ":").replace(/%2C/gi, ",");
  return `/experiments/${args.experimentId}/groups/${encodeURIComponent(args.groupId)}${qs ? `?${qs}` : ""}`;
}
