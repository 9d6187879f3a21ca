/**
 * The /compare page's URL state (pure; tested): the two sides (`a`, `b`, `a_steps`, `b_steps`),
 * the shared reward config in the rollout browser's words (`iteration`, `c`, `estimator`), and
 * the view (`sort`/`dir` of the task table, `metric` of the cell heatmap, `task` of the paired
 * group view). The API query is the first part of it (lib/compare/query.ts).
 */
import { formatStepRange, parseStepRange } from "@/lib/analysis/timeline-steps";
import { ESTIMATORS, TIER_NAMES, type TierName } from "@/lib/rewards";

export const TASK_SORTS = ["task", "a", "b", "delta"] as const;
export type TaskSort = (typeof TASK_SORTS)[number];
export const CELL_METRICS = ["pass_rate", "mean_adv", "rho", "mismatches"] as const;
export type CellDeltaMetric = (typeof CELL_METRICS)[number];

export interface CompareUrlState {
  a: number | null;
  b: number | null;
  aSteps: [number, number] | null;
  bSteps: [number, number] | null;
  iteration: number | null;
  c: string;
  estimator: string;
  sort: TaskSort;
  dir: "asc" | "desc";
  metric: CellDeltaMetric;
  /** The tier of the per-tier cell metrics (mean advantage, rho). */
  tier: TierName;
  task: string | null;
}

type Params = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? "") : (v ?? ""));
const posInt = (v: string): number | null => (/^[1-9]\d{0,15}$/.test(v) ? Number(v) : null);
const oneOf = <T extends string>(list: readonly T[], v: string, fallback: T): T => ((list as readonly string[]).includes(v) ? (v as T) : fallback);

export function decodeCompareState(sp: Params): CompareUrlState {
  const estimator = first(sp.estimator);
  return {
    a: posInt(first(sp.a)),
    b: posInt(first(sp.b)),
    aSteps: parseStepRange(first(sp.a_steps) || null),
    bSteps: parseStepRange(first(sp.b_steps) || null),
    iteration: posInt(first(sp.iteration) || first(sp.it)),
    c: first(sp.c).slice(0, 2000),
    estimator: (ESTIMATORS as readonly string[]).includes(estimator) ? estimator : "",
    sort: oneOf(TASK_SORTS, first(sp.sort), "delta"),
    dir: first(sp.dir) === "asc" ? "asc" : "desc",
    metric: oneOf(CELL_METRICS, first(sp.metric), "pass_rate"),
    tier: oneOf(TIER_NAMES, first(sp.tier), "soft"),
    task: first(sp.task) || null,
  };
}

/** The API's query: the sides and the config only. */
export function compareApiQuery(s: CompareUrlState): string {
  const q = new URLSearchParams();
  if (s.a !== null) q.set("a", String(s.a));
  if (s.aSteps) q.set("a_steps", formatStepRange(s.aSteps));
  if (s.b !== null) q.set("b", String(s.b));
  if (s.bSteps) q.set("b_steps", formatStepRange(s.bSteps));
  if (s.iteration !== null) q.set("iteration", String(s.iteration));
  if (s.c) q.set("c", s.c);
  if (s.estimator) q.set("estimator", s.estimator);
  return q.toString();
}

/** The page's full query (defaults left out so links stay short). */
export function encodeCompareState(s: CompareUrlState): string {
  const q = new URLSearchParams(compareApiQuery(s));
  if (s.sort !== "delta") q.set("sort", s.sort);
  if (s.dir !== "desc") q.set("dir", s.dir);
  if (s.metric !== "pass_rate") q.set("metric", s.metric);
  if (s.tier !== "soft") q.set("tier", s.tier);
  if (s.task) q.set("task", s.task);
  return q.toString();
}

export function compareHref(s: Partial<CompareUrlState> & { a: number | null; b: number | null }): string {
  const q = encodeCompareState({ ...EMPTY_COMPARE_STATE, ...s });
  return `/compare${q ? `?${q}` : ""}`;
}

export const EMPTY_COMPARE_STATE: CompareUrlState = {
  a: null,
  b: null,
  aSteps: null,
  bSteps: null,
  iteration: null,
  c: "",
  estimator: "",
  sort: "delta",
  dir: "desc",
  metric: "pass_rate",
  tier: "soft",
  task: null,
};
