/**
 * The workbench sections drawn from the configured estimator's per-turn advantages: W × B cell
 * summaries, the position × tier heatmap and the advantage distribution.
 *
 * Split by what a tier-value change can move: the layout (which cell each rollout is in, counts,
 * per-cell ρ, turn counts per position × tier) depends on tiering, outcomes and the slice only,
 * so it is cached per data version (lib/analysis memoInvariant); the advantage sums are
 * recomputed in one fused pass over the turns (plus one for the histogram, which needs the
 * range first). Every accumulator is filled in the same turn order as separate passes would.
 */
import {
  buildSliceMask,
  DEAD_EPS as ANALYSIS_DEAD_EPS,
  memoInvariant,
  tierDirection,
  phiFromCounts,
  sliceKeyOf,
  type AnalysisResult,
  type AnalysisWorkspace,
  type ColumnarRollouts,
  type SliceSpec,
} from "../analysis";
import { TIER_COUNT, TIER_NAMES, type RewardConfig, type TierName } from "../rewards";
import type { AdvantageDistribution, AdvantageHeatmap, CellSummary } from "./api-types";

export const HEATMAP_MAX_POSITION = 40;
export const DISTRIBUTION_BINS = 40;

/** Module-local copy: per-turn loops would otherwise read the import binding (a getter once compiled). */
const DEAD_EPS = ANALYSIS_DEAD_EPS;
/** TIER_COUNT as a literal the JIT can fold into the per-turn loop (as in lib/analysis/diagnostics). */
const TC = 7;
if (TC !== TIER_COUNT) throw new Error(`lib/calibration/sections assumes ${TC} tiers, lib/rewards defines ${TIER_COUNT}`);

/** Everything about the selected rollouts that no tier value or estimator knob changes. */
interface SectionLayout {
  /** Cell index per rollout, -1 when the rollout is outside the slice. */
  cellOf: Int32Array;
  keys: { w: number; b: number }[];
  nR: Int32Array;
  passes: Int32Array;
  nGroups: number[];
  turns: Int32Array;
  /** Turns per cell × tier. */
  cellTierTurns: Int32Array;
  /** Σ outcome over the cell's turns (also Σ o²: outcomes are 0/1). */
  outcomeTurns: Float64Array;
  /** ρ(tier present, outcome) per cell × tier. */
  rho: (number | null)[];
  /** Heatmap rows (positions 0..rows-1, the last pooling the rest when `pooled`). */
  rows: number;
  pooled: boolean;
  /** Turns per heatmap row × tier. */
  heatCount: Int32Array;
  /** Turns of passing / failing rollouts (the histogram's sides). */
  passTurns: number;
  failTurns: number;
}

function buildLayout(data: ColumnarRollouts, ws: AnalysisWorkspace, mask: Uint8Array | null): SectionLayout {
  // Numeric (W, B) key: no string per rollout (W, B are small ints, -1 when unknown).
  const cells = new Map<number, number>();
  const keys: { w: number; b: number }[] = [];
  const cellOf = new Int32Array(data.nRollouts).fill(-1);
  let maxPos = 0;
  for (let i = 0; i < data.nRollouts; i++) {
    if (mask && !mask[i]) continue;
    const k = data.rolloutW[i] * 4294967296 + (data.rolloutB[i] >>> 0);
    let c = cells.get(k);
    if (c === undefined) {
      c = keys.length;
      cells.set(k, c);
      keys.push({ w: data.rolloutW[i], b: data.rolloutB[i] });
    }
    cellOf[i] = c;
    const len = data.turnOffsets[i + 1] - data.turnOffsets[i];
    if (len - 1 > maxPos) maxPos = len - 1;
  }
  const C = keys.length;
  const rows = Math.min(maxPos, HEATMAP_MAX_POSITION) + 1;
  const nR = new Int32Array(C);
  const passes = new Int32Array(C);
  const present = new Int32Array(C * TC);
  const presentPass = new Int32Array(C * TC);
  const turns = new Int32Array(C);
  const cellTierTurns = new Int32Array(C * TC);
  const outcomeTurns = new Float64Array(C);
  const heatCount = new Int32Array(rows * TC);
  const groups = keys.map(() => new Set<number>());
  let passTurns = 0;
  let failTurns = 0;
  for (let i = 0; i < data.nRollouts; i++) {
    const c = cellOf[i];
    if (c < 0) continue;
    const o = data.outcome[i];
    nR[c]++;
    passes[c] += o;
    groups[c].add(data.rolloutGroup[i]);
    const bits = ws.rolloutTiers[i];
    for (let t = 0; t < TC; t++) {
      if (bits & (1 << t)) {
        present[c * TC + t]++;
        presentPass[c * TC + t] += o;
      }
    }
    const s = data.turnOffsets[i];
    const e = data.turnOffsets[i + 1];
    turns[c] += e - s;
    outcomeTurns[c] += o * (e - s);
    if (o === 1) passTurns += e - s;
    else failTurns += e - s;
    for (let t = s; t < e; t++) {
      cellTierTurns[c * TC + ws.tier[t]]++;
      heatCount[Math.min(data.turnPos[t], rows - 1) * TC + ws.tier[t]]++;
    }
  }
  const rho: (number | null)[] = new Array(C * TC);
  for (let c = 0; c < C; c++) {
    for (let t = 0; t < TC; t++) rho[c * TC + t] = phiFromCounts(nR[c], present[c * TC + t], presentPass[c * TC + t], passes[c]).r;
  }
  return {
    cellOf,
    keys,
    nR,
    passes,
    nGroups: groups.map((g) => g.size),
    turns,
    cellTierTurns,
    outcomeTurns,
    rho,
    rows,
    pooled: maxPos > HEATMAP_MAX_POSITION,
    heatCount,
    passTurns,
    failTurns,
  };
}

export interface SectionRequest {
  cells: boolean;
  heatmap: boolean;
  distribution: boolean;
}

export interface Sections {
  cells?: CellSummary[];
  heatmap?: AdvantageHeatmap;
  distribution?: AdvantageDistribution;
}

/** Advantage sums of one recompute (the part of the sections a tier value moves). */
interface AdvantageSums {
  /** Per cell: turns with |A| < DEAD_EPS, Σ A, Σ A², Σ A·o; Σ A per cell × tier. */
  dead: Int32Array;
  sx: Float64Array;
  sxx: Float64Array;
  sxy: Float64Array;
  cellTierSum: Float64Array;
  /** Per heatmap row × tier: Σ A, turns against the tier's intended sign. */
  heatSum: Float64Array;
  heatMis: Int32Array;
  maxAbs: number;
}

/**
 * The requested sections from the tiering and advantages the workspace holds (the configured
 * estimator's, as `analyze` of `config` over `slice` leaves them; `result` is that analysis).
 */
export function computeSections(
  data: ColumnarRollouts,
  ws: AnalysisWorkspace,
  slice: SliceSpec | null,
  config: RewardConfig,
  result: AnalysisResult,
  want: SectionRequest,
): Sections {
  // The layout reads the tiering (precedence) and the slice, nothing else of the config.
  const sliceKey = sliceKeyOf(slice);
  const layoutKey = sliceKey === null ? null : `sections-layout|${ws.precedenceKey}|${sliceKey}`;
  const layout = memoInvariant(data, layoutKey, () => buildLayout(data, ws, buildSliceMask(data, slice)));
  const intended = intendedSigns(result);
  const sums = advantageSums(data, ws, layout, intended);
  const out: Sections = {};
  if (want.cells) out.cells = cellSummaries(layout, sums, config);
  if (want.heatmap) out.heatmap = heatmapOf(layout, sums, intended);
  if (want.distribution) out.distribution = distributionOf(data, ws, layout, sums.maxAbs);
  return out;
}

/** Each tier's intended sign in `result` (sign(ρ), null when |ρ| ≤ δ). */
export function intendedSigns(result: AnalysisResult): Record<TierName, 1 | -1 | null> {
  const out = {} as Record<TierName, 1 | -1 | null>;
  for (const t of TIER_NAMES) out[t] = result.tiers[t].intended_sign;
  return out;
}

/** One pass over the selected turns for the cells, the heatmap and the histogram's range. */
function advantageSums(data: ColumnarRollouts, ws: AnalysisWorkspace, layout: SectionLayout, intended: Record<TierName, 1 | -1 | null>): AdvantageSums {
  const eps = DEAD_EPS;
  const { cellOf, rows } = layout;
  const C = layout.keys.length;
  const { adv, tier } = ws;
  const { turnOffsets, turnPos, outcome } = data;
  const dead = new Int32Array(C);
  const sx = new Float64Array(C);
  const sxx = new Float64Array(C);
  const sxy = new Float64Array(C);
  const cellTierSum = new Float64Array(C * TC);
  const heatSum = new Float64Array(rows * TC);
  const heatMis = new Int32Array(rows * TC);
  const intendedCode = Int8Array.from(TIER_NAMES, (t) => intended[t] ?? 0);
  const lastRow = rows - 1;
  let maxAbs = 0;
  for (let i = 0; i < data.nRollouts; i++) {
    const c = cellOf[i];
    if (c < 0) continue;
    const o = outcome[i];
    for (let t = turnOffsets[i], e = turnOffsets[i + 1]; t < e; t++) {
      const a = adv[t];
      const k = tier[t];
      const abs = Math.abs(a);
      if (abs < eps) dead[c]++;
      cellTierSum[c * TC + k] += a;
      sx[c] += a;
      sxx[c] += a * a;
      sxy[c] += a * o;
      const p = turnPos[t];
      const h = (p < lastRow ? p : lastRow) * TC + k;
      heatSum[h] += a;
      // Opposite non-zero signs only: a dead turn has no direction (counted in `dead`).
      const want = intendedCode[k];
      if (want !== 0 && (a > eps ? -want : a < -eps ? want : 0) === 1) heatMis[h]++;
      if (abs > maxAbs) maxAbs = abs;
    }
  }
  return { dead, sx, sxx, sxy, cellTierSum, heatSum, heatMis, maxAbs };
}

function cellSummaries(layout: SectionLayout, s: AdvantageSums, config: RewardConfig): CellSummary[] {
  const out: CellSummary[] = [];
  for (let c = 0; c < layout.keys.length; c++) {
    const rho = {} as Record<TierName, number | null>;
    const meanAdv = {} as Record<TierName, number | null>;
    const misaligned: TierName[] = [];
    let undefinedDirection = 0;
    for (let t = 0; t < TC; t++) {
      const name = TIER_NAMES[t];
      const r = layout.rho[c * TC + t];
      rho[name] = r;
      const cnt = layout.cellTierTurns[c * TC + t];
      const m = cnt > 0 ? s.cellTierSum[c * TC + t] / cnt : null;
      meanAdv[name] = m;
      if (r !== null && Math.abs(r) > config.delta) {
        // Same three answers as the whole-experiment table (lib/analysis/direction.ts).
        const direction = tierDirection(m, r > 0 ? 1 : -1);
        if (direction === "misaligned") misaligned.push(name);
        else if (direction === "none") undefinedDirection++;
      }
    }
    const n = layout.turns[c];
    const nR = layout.nR[c];
    const sy = layout.outcomeTurns[c];
    const cov = n * s.sxy[c] - s.sx[c] * sy;
    const vx = n * s.sxx[c] - s.sx[c] * s.sx[c];
    const vy = n * sy - sy * sy;
    const corr = n >= 2 && vx > 1e-12 && vy > 1e-12 ? Math.max(-1, Math.min(1, cov / Math.sqrt(vx * vy))) : null;
    out.push({
      w: layout.keys[c].w,
      b: layout.keys[c].b,
      n_rollouts: nR,
      n_groups: layout.nGroups[c],
      n_turns: n,
      pass_rate: nR > 0 ? layout.passes[c] / nR : null,
      mismatches: misaligned.length,
      undefined_direction: undefinedDirection,
      corr_adv_outcome: corr,
      dead_turn_pct: n > 0 ? (100 * s.dead[c]) / n : null,
      rho,
      mean_adv: meanAdv,
      misaligned,
    });
  }
  return out.sort((a, b) => a.w - b.w || a.b - b.b);
}

function heatmapOf(layout: SectionLayout, s: AdvantageSums, intended: Record<TierName, 1 | -1 | null>): AdvantageHeatmap {
  const { rows, heatCount } = layout;
  const mean_adv: (number | null)[][] = [];
  const n: number[][] = [];
  const misaligned: number[][] = [];
  for (let p = 0; p < rows; p++) {
    mean_adv.push(Array.from({ length: TC }, (_, c) => (heatCount[p * TC + c] > 0 ? s.heatSum[p * TC + c] / heatCount[p * TC + c] : null)));
    n.push(Array.from(heatCount.subarray(p * TC, p * TC + TC)));
    misaligned.push(Array.from(s.heatMis.subarray(p * TC, p * TC + TC)));
  }
  return { positions: Array.from({ length: rows }, (_, p) => p), last_row_pooled: layout.pooled, tiers: [...TIER_NAMES], mean_adv, n, misaligned, intended_sign: intended };
}

function distributionOf(data: ColumnarRollouts, ws: AnalysisWorkspace, layout: SectionLayout, maxAbs: number): AdvantageDistribution {
  // Symmetric range rounded up to 0.5, capped so one outlier does not flatten the histogram.
  const clip = Math.max(0.5, Math.min(10, Math.ceil(maxAbs * 2) / 2));
  const B = DISTRIBUTION_BINS;
  const width = (2 * clip) / B;
  const eps = DEAD_EPS;
  const pass = new Int32Array(B);
  const fail = new Int32Array(B);
  let passSum = 0;
  let failSum = 0;
  let passDead = 0;
  let failDead = 0;
  const { cellOf } = layout;
  const { adv } = ws;
  const { turnOffsets, outcome } = data;
  for (let i = 0; i < data.nRollouts; i++) {
    if (cellOf[i] < 0) continue;
    const isPass = outcome[i] === 1;
    const side = isPass ? pass : fail;
    // Continue the side's running sum turn by turn (the same additions as one sum per side).
    let sum = isPass ? passSum : failSum;
    let dead = 0;
    for (let t = turnOffsets[i], e = turnOffsets[i + 1]; t < e; t++) {
      const x = adv[t];
      let b = Math.floor((x + clip) / width);
      b = b < 0 ? 0 : b >= B ? B - 1 : b;
      side[b]++;
      sum += x;
      if (Math.abs(x) < eps) dead++;
    }
    if (isPass) {
      passSum = sum;
      passDead += dead;
    } else {
      failSum = sum;
      failDead += dead;
    }
  }
  return {
    bins: Array.from({ length: B }, (_, b) => ({ lo: -clip + b * width, hi: -clip + (b + 1) * width, pass: pass[b], fail: fail[b] })),
    pass: { n: layout.passTurns, mean: layout.passTurns ? passSum / layout.passTurns : null, dead: passDead },
    fail: { n: layout.failTurns, mean: layout.failTurns ? failSum / layout.failTurns : null, dead: failDead },
    clip,
  };
}
