/**
 * The run timeline's view state as a URL (pure): `est` (estimator), `bucket` (steps per point,
 * absent = automatic), `tier` (the tier whose CI band is drawn). Bad values are ignored.
 */
import type { EstimatorKind } from "./estimators";

export const TIMELINE_ESTIMATORS: readonly EstimatorKind[] = ["grpo", "mt_grpo", "gtpo", "hybrid"];
const TIERS = ["gold", "soft", "read", "state", "message", "error", "duplicate"] as const;
export type TimelineTierName = (typeof TIERS)[number];

export interface TimelineUrlState {
  estimator: EstimatorKind | null;
  bucket: number | null;
  tier: TimelineTierName;
}

type Params = URLSearchParams | Record<string, string | string[] | undefined>;
const read = (p: Params, name: string): string | null => {
  if (p instanceof URLSearchParams) return p.get(name);
  const v = p[name];
  return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
};

export function decodeTimelineState(p: Params): TimelineUrlState {
  const est = read(p, "est");
  const bucket = Number(read(p, "bucket"));
  const tier = read(p, "tier");
  return {
    estimator: est && (TIMELINE_ESTIMATORS as readonly string[]).includes(est) ? (est as EstimatorKind) : null,
    bucket: Number.isInteger(bucket) && bucket > 0 ? bucket : null,
    tier: tier && (TIERS as readonly string[]).includes(tier) ? (tier as TimelineTierName) : "state",
  };
}

export function encodeTimelineState(s: TimelineUrlState): string {
  const parts: string[] = [];
  if (s.estimator) parts.push(`est=${s.estimator}`);
  if (s.bucket) parts.push(`bucket=${s.bucket}`);
  if (s.tier !== "state") parts.push(`tier=${s.tier}`);
  return parts.join("&");
}

/** The workbench at the step range of a timeline point. */
export function workbenchStepsHref(experimentId: number, from: number, to: number): string {
  return `/experiments/${experimentId}/calibrate?steps=${from === to ? from : `${from}-${to}`}`;
}
