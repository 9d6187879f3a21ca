/**
 * Pure transforms from the analysis response to chart series, and number formatting. Charts get
 * plain arrays and never see null-vs-NaN questions: an undefined statistic stays null here and is
 * printed as "n/a" (never plotted as 0).
 */
import type {
  AdvantageDistribution,
  AdvantageHeatmap,
  AnalysisResponse,
  CellSummary,
  EstimatorKind,
  EstimatorSummary,
  RewardConfigIteration,
  TierName,
} from "@/lib/calibration/api-types";
import { TIER_NAMES } from "@/lib/rewards";

export const TIER_LABELS: Record<TierName, string> = {
  gold: "gold",
  soft: "soft",
  read: "read",
  state: "state",
  message: "message",
  error: "error",
  duplicate: "duplicate",
};

/** Mid-tone tier colours, distinguishable on white and on zinc-900. */
export const TIER_COLORS: Record<TierName, string> = {
  gold: "#d4a017",
  soft: "#10b981",
  read: "#3b82f6",
  state: "#a855f7",
  message: "#71717a",
  error: "#ef4444",
  duplicate: "#f97316",
};

export const PASS_COLOR = "#10b981";
export const FAIL_COLOR = "#ef4444";
/** Tiers without direction (mean A = 0): neither aligned nor misaligned. */
export const NO_DIRECTION_COLOR = "#71717a";
export const AI_COLOR = "#818cf8";
export const ADV_COLOR = "#4f46e5";

export const ESTIMATOR_LABELS: Record<EstimatorKind, string> = {
  grpo: "GRPO",
  mt_grpo: "MT-GRPO",
  gtpo: "GTPO",
  hybrid: "Hybrid",
};
export const ESTIMATOR_ORDER: readonly EstimatorKind[] = ["grpo", "mt_grpo", "gtpo", "hybrid"];

// ---- formatting -----------------------------------------------------------------------------

export function fmt(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "n/a";
  const s = v.toFixed(digits);
  // "-0.000" reads as a sign that is not there.
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

export function fmtSigned(v: number | null | undefined, digits = 3): string {
  const s = fmt(v, digits);
  return s !== "n/a" && v !== null && v !== undefined && v > 0 && !/^0\.?0*$/.test(s) ? `+${s}` : s;
}

/** A 0..1 share as a percentage. */
export function fmtShare(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || !Number.isFinite(v) ? "n/a" : `${(v * 100).toFixed(digits)}%`;
}

/** A value that is already a percentage. */
export function fmtPct(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || !Number.isFinite(v) ? "n/a" : `${v.toFixed(digits)}%`;
}

export function fmtP(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return "n/a";
  return p < 1e-4 ? p.toExponential(1) : p.toFixed(4);
}

// ---- per-tier series ------------------------------------------------------------------------

export interface RhoPoint {
  tier: TierName;
  rho: number | null;
  /** [rho − lo, hi − rho] for an error bar; null without a CI. */
  err: [number, number] | null;
  ci: [number, number] | null;
  p: number | null;
  n_present: number;
  /** |rho| ≤ δ: skipped by the suggestion and the direction check. */
  within_delta: boolean;
}

export function rhoSeries(res: AnalysisResponse): RhoPoint[] {
  const delta = res.config.delta;
  return TIER_NAMES.map((tier) => {
    const t = res.analysis.tiers[tier];
    const rho = t.rho;
    const ci = t.ci;
    return {
      tier,
      rho,
      err: rho !== null && ci ? [Math.max(0, rho - ci[0]), Math.max(0, ci[1] - rho)] : null,
      ci,
      p: t.p,
      n_present: t.n_present,
      within_delta: rho === null || Math.abs(rho) <= delta,
    };
  });
}

export interface PresencePoint {
  tier: TierName;
  /** % of passing / failing rollouts in which the tier occurs. */
  pass: number | null;
  fail: number | null;
  gap_pp: number | null;
  share_pass: number | null;
}

export function presenceSeries(res: AnalysisResponse): PresencePoint[] {
  return TIER_NAMES.map((tier) => {
    const t = res.analysis.tiers[tier];
    return {
      tier,
      pass: t.p_present_pass === null ? null : t.p_present_pass * 100,
      fail: t.p_present_fail === null ? null : t.p_present_fail * 100,
      gap_pp: t.gap_pp,
      share_pass: t.share_pass,
    };
  });
}

export interface DirectionPoint {
  tier: TierName;
  mean_ai: number | null;
  mean_adv: number | null;
  intended_sign: 1 | -1 | null;
  aligned: boolean | null;
  n_turns: number;
}

export function directionSeries(res: AnalysisResponse): DirectionPoint[] {
  return TIER_NAMES.map((tier) => {
    const t = res.analysis.tiers[tier];
    return { tier, mean_ai: t.mean_ai, mean_adv: t.mean_adv, intended_sign: t.intended_sign, aligned: t.aligned, n_turns: t.n_turns };
  });
}

export function misalignedTiers(res: AnalysisResponse): TierName[] {
  return TIER_NAMES.filter((t) => res.analysis.tiers[t].aligned === false);
}

/** A checked tier (intended sign known) whose mean advantage is 0: no direction, not a mismatch. */
export const hasNoDirection = (t: { intended_sign: 1 | -1 | null; aligned: boolean | null }): boolean => t.intended_sign !== null && t.aligned === null;

export function noDirectionTiers(res: AnalysisResponse): TierName[] {
  return TIER_NAMES.filter((t) => hasNoDirection(res.analysis.tiers[t]));
}

export interface GradientPoint {
  tier: TierName;
  /** % of Σ|A|·tokens over live turns. */
  share: number | null;
}

export function gradientSeries(res: AnalysisResponse): GradientPoint[] {
  return TIER_NAMES.map((tier) => {
    const s = res.analysis.gradient_share[tier];
    return { tier, share: s === null ? null : s * 100 };
  });
}

// ---- distribution ---------------------------------------------------------------------------

export interface DistributionPoint {
  label: string;
  lo: number;
  hi: number;
  /** % of the passing (failing) rollouts' turns that fall in this bin. */
  pass: number;
  fail: number;
  passCount: number;
  failCount: number;
}

/** Bins as shares of each side, so sides of different size compare by shape. */
export function distributionSeries(d: AdvantageDistribution | undefined): DistributionPoint[] {
  if (!d) return [];
  const passN = d.bins.reduce((s, b) => s + b.pass, 0);
  const failN = d.bins.reduce((s, b) => s + b.fail, 0);
  return d.bins.map((b) => ({
    label: `${fmt(b.lo, 2)}…${fmt(b.hi, 2)}`,
    lo: b.lo,
    hi: b.hi,
    pass: passN > 0 ? (100 * b.pass) / passN : 0,
    fail: failN > 0 ? (100 * b.fail) / failN : 0,
    passCount: b.pass,
    failCount: b.fail,
  }));
}

// ---- heatmaps -------------------------------------------------------------------------------

export interface HeatmapSeries {
  rows: { key: string; label: string }[];
  cols: { key: string; label: string }[];
  values: (number | null)[][];
}

export function positionHeatmap(h: AdvantageHeatmap | undefined): HeatmapSeries & { positions: number[]; tiers: TierName[] } {
  if (!h) return { rows: [], cols: [], values: [], positions: [], tiers: [] };
  // Leave out tiers with no turns at any position: an all-empty column says nothing.
  const keep = h.tiers.map((_, ci) => h.n.some((row) => (row[ci] ?? 0) > 0));
  const tiers = h.tiers.filter((_, ci) => keep[ci]);
  return {
    rows: h.positions.map((p, i) => ({
      key: String(p),
      label: h.last_row_pooled && i === h.positions.length - 1 ? `≥${p}` : String(p),
    })),
    cols: tiers.map((t) => ({ key: t, label: TIER_LABELS[t] })),
    values: h.mean_adv.map((row) => row.filter((_, ci) => keep[ci])),
    positions: h.positions,
    tiers,
  };
}

/**
 * The heatmap with positions ≥ the `maxRows`-th pooled into one last row (mean weighted by turn
 * count, counts summed), so it fits a width; the drill-down of that row is "every turn at ≥ its
 * position", as for the server's own pooled row. Unchanged when it already fits.
 */
export function poolHeatmapPositions(h: AdvantageHeatmap, maxRows: number): AdvantageHeatmap {
  const keep = Math.max(2, Math.floor(maxRows));
  if (h.positions.length <= keep) return h;
  const head = keep - 1;
  const nTiers = h.tiers.length;
  const n = new Array<number>(nTiers).fill(0);
  const sum = new Array<number>(nTiers).fill(0);
  const mis = new Array<number>(nTiers).fill(0);
  for (let r = head; r < h.positions.length; r++)
    for (let c = 0; c < nTiers; c++) {
      const k = h.n[r]?.[c] ?? 0;
      const m = h.mean_adv[r]?.[c];
      n[c] += k;
      if (k > 0 && m !== null && m !== undefined) sum[c] += k * m;
      mis[c] += h.misaligned[r]?.[c] ?? 0;
    }
  return {
    ...h,
    positions: h.positions.slice(0, keep),
    last_row_pooled: true,
    mean_adv: [...h.mean_adv.slice(0, head), n.map((k, c) => (k > 0 ? sum[c] / k : null))],
    n: [...h.n.slice(0, head), n],
    misaligned: [...h.misaligned.slice(0, head), mis],
  };
}

/** Column index of each kept tier in the original heatmap (for n / misaligned lookups). */
export function heatmapTierIndex(h: AdvantageHeatmap, tier: TierName): number {
  return h.tiers.indexOf(tier);
}

export type CellMetric = "mismatches" | "corr_adv_outcome" | "dead_turn_pct" | "pass_rate";

export const CELL_METRIC_LABELS: Record<CellMetric, string> = {
  mismatches: "mismatches (tiers)",
  corr_adv_outcome: "Corr(adv, out)",
  dead_turn_pct: "dead turns (%)",
  pass_rate: "pass rate (%)",
};

/** W rows × B columns of one metric; unknown W/B (−1) shows as "?". */
export function cellMatrix(cells: CellSummary[] | undefined, metric: CellMetric): HeatmapSeries & { ws: number[]; bs: number[]; cells: (CellSummary | null)[][] } {
  if (!cells || cells.length === 0) return { rows: [], cols: [], values: [], ws: [], bs: [], cells: [] };
  const ws = [...new Set(cells.map((c) => c.w))].sort((a, b) => a - b);
  const bs = [...new Set(cells.map((c) => c.b))].sort((a, b) => a - b);
  const grid: (CellSummary | null)[][] = ws.map(() => bs.map(() => null));
  for (const c of cells) grid[ws.indexOf(c.w)][bs.indexOf(c.b)] = c;
  const value = (c: CellSummary | null): number | null => {
    if (!c) return null;
    if (metric === "pass_rate") return c.pass_rate === null ? null : c.pass_rate * 100;
    return c[metric];
  };
  const label = (v: number) => (v < 0 ? "?" : String(v));
  return {
    rows: ws.map((w) => ({ key: String(w), label: label(w) })),
    cols: bs.map((b) => ({ key: String(b), label: label(b) })),
    values: grid.map((row) => row.map(value)),
    ws,
    bs,
    cells: grid,
  };
}

// ---- estimators -----------------------------------------------------------------------------

export interface EstimatorRow {
  estimator: EstimatorKind;
  label: string;
  mismatches: number;
  /** Checked tiers whose mean advantage is 0 (no direction). */
  undefined_direction: number;
  corr_adv_outcome: number | null;
  dead_turn_pct: number | null;
  dead_turn_pct_cancel: number | null;
  misaligned: TierName[];
}

export function estimatorRows(est: Record<EstimatorKind, EstimatorSummary> | undefined): EstimatorRow[] {
  if (!est) return [];
  return ESTIMATOR_ORDER.filter((k) => est[k]).map((k) => {
    const e = est[k];
    return {
      estimator: k,
      label: ESTIMATOR_LABELS[k],
      mismatches: e.mismatches,
      // Summaries from a server older than the field count none.
      undefined_direction: e.undefined_direction ?? 0,
      corr_adv_outcome: e.corr_adv_outcome,
      dead_turn_pct: e.dead_turn_pct,
      dead_turn_pct_cancel: e.dead_turn_pct_cancel,
      misaligned: TIER_NAMES.filter((t) => e.tiers[t]?.aligned === false),
    };
  });
}

// ---- iterations -----------------------------------------------------------------------------

export interface TimelinePoint {
  id: number;
  number: number;
  label: string;
  note: string | null;
  mismatches: number | null;
  corr: number | null;
  dead: number | null;
  pass: number | null;
}

export function timelineSeries(iterations: RewardConfigIteration[]): TimelinePoint[] {
  return iterations.map((it) => ({
    id: it.id,
    number: it.number,
    label: `#${it.number}`,
    note: it.note,
    mismatches: it.metrics?.mismatches ?? null,
    corr: it.metrics?.corr_mean_reward_outcome ?? null,
    dead: it.metrics?.dead_turn_pct ?? null,
    pass: it.metrics?.pass_rate === null || it.metrics?.pass_rate === undefined ? null : it.metrics.pass_rate * 100,
  }));
}
