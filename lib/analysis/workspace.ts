/**
 * Preallocated buffers for one ColumnarRollouts: per-turn tier codes, rewards, advantages and
 * returns, per-rollout outcome advantage and tier presence. Reused across recomputes so the
 * hot path allocates nothing per turn; the tiering is cached per precedence and data version.
 */
import { buildTierLut, TIER_COUNT, type TierName } from "../rewards";
import type { ColumnarRollouts } from "./columnar";

export interface AnalysisWorkspace {
  /** data.version the buffers were sized and tiered for. */
  version: number;
  precedenceKey: string;
  /** Per turn. */
  tier: Uint8Array;
  reward: Float64Array;
  /** Per-turn part: MT-GRPO's AI, GN(G) for GTPO/hybrid, 0 for GRPO. */
  ai: Float64Array;
  adv: Float64Array;
  /** Discounted returns (GTPO/hybrid). */
  ret: Float64Array;
  /** Per rollout. */
  ao: Float64Array;
  meanReward: Float64Array;
  /** Bitmask of tiers present in the rollout. */
  rolloutTiers: Uint8Array;
  /** rolloutTierCount[i * TIER_COUNT + c] = turns of rollout i in tier c. */
  rolloutTierCount: Int32Array;
  /** Rollout-level scratch for statistics. */
  scratchX: Float64Array;
  scratchY: Float64Array;
  /** Group-level scratch (sized to the largest group). */
  memberStart: Int32Array;
  memberLen: Int32Array;
  /** Position-level scratch (sized to the longest rollout). */
  posSum: Float64Array;
  posCnt: Int32Array;
  posLo: Float64Array;
  posHi: Float64Array;
  posSs: Float64Array;
  /**
   * Cancellation buckets (group, position, canonical action) depend on the data only: computed
   * once per data version; per recompute only the sums are taken.
   */
  bucketOf: Int32Array;
  nBuckets: number;
  /**
   * The buckets as turn lists, so a recompute reads each turn once and scatters nothing: turns
   * of buckets with ≥ 2 turns grouped by bucket (ascending turn order inside a bucket, the order
   * the sums are taken in), with offsets; and the turns alone in their bucket (often most),
   * whose bucket sum is their own A.
   */
  multiBucketTurns: Int32Array;
  multiBucketOffsets: Int32Array;
  nMultiBuckets: number;
  singleBucketTurns: Int32Array;
  nSingleBucketTurns: number;
}

// A WeakMap, not createCache: keyed by object identity and released with the object (createCache keys are strings).
const WORKSPACES = new WeakMap<ColumnarRollouts, AnalysisWorkspace>();

function maxGroupSize(data: ColumnarRollouts): number {
  let m = 1;
  const off = data.groupRolloutOffsets;
  for (let g = 0; g < data.nGroups; g++) m = Math.max(m, off[g + 1] - off[g]);
  return m;
}

function maxRolloutTurns(data: ColumnarRollouts): number {
  let m = 1;
  for (let i = 0; i < data.nRollouts; i++) m = Math.max(m, data.turnOffsets[i + 1] - data.turnOffsets[i]);
  return m;
}

function allocate(data: ColumnarRollouts): AnalysisWorkspace {
  const T = Math.max(1, data.nTurns);
  const R = Math.max(1, data.nRollouts);
  const G = maxGroupSize(data);
  const K = maxRolloutTurns(data);
  return {
    version: -1,
    precedenceKey: "",
    tier: new Uint8Array(T),
    reward: new Float64Array(T),
    ai: new Float64Array(T),
    adv: new Float64Array(T),
    ret: new Float64Array(T),
    ao: new Float64Array(R),
    meanReward: new Float64Array(R),
    rolloutTiers: new Uint8Array(R),
    rolloutTierCount: new Int32Array(R * TIER_COUNT),
    scratchX: new Float64Array(R),
    scratchY: new Float64Array(R),
    memberStart: new Int32Array(G),
    memberLen: new Int32Array(G),
    posSum: new Float64Array(K),
    posCnt: new Int32Array(K),
    posLo: new Float64Array(K),
    posHi: new Float64Array(K),
    posSs: new Float64Array(K),
    bucketOf: new Int32Array(T),
    nBuckets: 0,
    multiBucketTurns: new Int32Array(T),
    multiBucketOffsets: new Int32Array(T + 1),
    nMultiBuckets: 0,
    singleBucketTurns: new Int32Array(T),
    nSingleBucketTurns: 0,
  };
}

/** The workspace of `data`, (re)sized after appends and tiered under `precedence`. */
export function getWorkspace(data: ColumnarRollouts, precedence: readonly TierName[]): AnalysisWorkspace {
  let ws = WORKSPACES.get(data);
  if (!ws || ws.version !== data.version) {
    if (
      !ws ||
      ws.tier.length < data.nTurns ||
      ws.ao.length < data.nRollouts ||
      ws.memberStart.length < maxGroupSize(data) ||
      ws.posSum.length < maxRolloutTurns(data)
    ) {
      ws = allocate(data);
      WORKSPACES.set(data, ws);
    }
    ws.precedenceKey = "";
    ws.version = data.version;
    assignCancellationBuckets(data, ws);
  }
  const key = precedence.join(",");
  if (ws.precedenceKey !== key) {
    applyPrecedence(data, ws, precedence);
    ws.precedenceKey = key;
  }
  return ws;
}

/** Re-tier every turn from its stored class mask; recount per-rollout tier presence. */
function applyPrecedence(data: ColumnarRollouts, ws: AnalysisWorkspace, precedence: readonly TierName[]): void {
  const lut = buildTierLut(precedence);
  const TC = TIER_COUNT;
  const { turnMask, turnOffsets } = data;
  const { tier, rolloutTiers, rolloutTierCount } = ws;
  rolloutTierCount.fill(0, 0, data.nRollouts * TIER_COUNT);
  for (let i = 0; i < data.nRollouts; i++) {
    let present = 0;
    const base = i * TC;
    for (let t = turnOffsets[i], end = turnOffsets[i + 1]; t < end; t++) {
      const c = lut[turnMask[t]];
      tier[t] = c;
      present |= 1 << c;
      rolloutTierCount[base + c]++;
    }
    rolloutTiers[i] = present;
  }
}

/** bucketOf[t] = id of the (group, position, canonical action) bucket of turn t; ids are dense. */
function assignCancellationBuckets(data: ColumnarRollouts, ws: AnalysisWorkspace): void {
  const { groupRolloutOffsets: goff, groupRollouts: members, turnOffsets, turnAction } = data;
  const { bucketOf, memberStart: starts, memberLen: lens } = ws;
  let next = 0;
  for (let g = 0; g < data.nGroups; g++) {
    const a = goff[g];
    const m = goff[g + 1] - a;
    let maxK = 0;
    for (let j = 0; j < m; j++) {
      const i = members[a + j];
      starts[j] = turnOffsets[i];
      lens[j] = turnOffsets[i + 1] - turnOffsets[i];
      if (lens[j] > maxK) maxK = lens[j];
    }
    for (let l = 0; l < maxK; l++) {
      for (let u = 0; u < m; u++) {
        if (lens[u] <= l) continue;
        const t = starts[u] + l;
        const action = turnAction[t];
        let bucket = -1;
        for (let v = 0; v < u; v++) {
          if (lens[v] > l && turnAction[starts[v] + l] === action) {
            bucket = bucketOf[starts[v] + l];
            break;
          }
        }
        bucketOf[t] = bucket >= 0 ? bucket : next++;
      }
    }
  }
  ws.nBuckets = next;
  listBuckets(data, ws);
}

/** Fill the bucket turn lists from bucketOf (counting sort; buckets ordered by their first turn). */
function listBuckets(data: ColumnarRollouts, ws: AnalysisWorkspace): void {
  const T = data.nTurns;
  const { bucketOf, multiBucketTurns, multiBucketOffsets, singleBucketTurns } = ws;
  const size = new Int32Array(ws.nBuckets);
  for (let t = 0; t < T; t++) size[bucketOf[t]]++;
  // Next free slot of each multi-turn bucket in multiBucketTurns (-1: none yet).
  const cursor = new Int32Array(ws.nBuckets).fill(-1);
  let nMulti = 0;
  let placed = 0;
  let singles = 0;
  for (let t = 0; t < T; t++) {
    const b = bucketOf[t];
    if (size[b] === 1) {
      singleBucketTurns[singles++] = t;
      continue;
    }
    if (cursor[b] < 0) {
      cursor[b] = placed;
      multiBucketOffsets[nMulti++] = placed;
      placed += size[b];
    }
    multiBucketTurns[cursor[b]++] = t;
  }
  multiBucketOffsets[nMulti] = placed;
  ws.nMultiBuckets = nMulti;
  ws.nSingleBucketTurns = singles;
}
