/**
 * Per rollout, under one reward config: which tiers its agent turns have, whether any turn is
 * misaligned, and its strip (turn tier, reward, advantage). Computed once per config and data
 * version from the workbench's columnar store (the stored class rows), never from messages,
 * and cached with the experiment's other results. Only searches with a tier or misalignment
 * filter need this (every rollout's tiers); a page's strips alone come from ./page-strips.ts.
 *
 * "Misaligned" is the workbench drill-down's rule (lib/calibration/analysis.ts drillTurns): the
 * turn's advantage sign is against its tier's intended sign (sign of rho beyond delta); a dead
 * turn (A = 0) has no direction and is not misaligned.
 */
import type { Db } from "../../db/client";
import { computeTurnValues, DEAD_EPS } from "../analysis";
import { runAnalysis } from "../calibration/analysis";
import { intendedSigns } from "../calibration/sections";
import { cacheGet, cacheSet, classifyOptionsOf, getExperimentData } from "../calibration/experiment-data";
import { TIER_NAMES, type RewardConfig, type TierName } from "../rewards";

export interface StripTurn {
  tier: TierName;
  reward: number;
  advantage: number;
}

export interface RolloutStripData {
  outcome: 0 | 1 | null;
  scored: boolean;
  return: number | null;
  outcome_advantage: number | null;
  turns: StripTurn[];
}

/** Per-turn values of some rollouts (copies: computeTurnValues hands out views of a shared workspace). */
export interface TurnValues {
  /** Rollout id → its index in the arrays below. */
  index: Map<string, number>;
  /** Turns of rollout i: offsets[i] .. offsets[i + 1]. */
  offsets: Int32Array;
  tier: Uint8Array;
  reward: Float64Array;
  adv: Float64Array;
  /** Per rollout. */
  ao: Float64Array;
}

export interface TurnFlags {
  /** Rollout id → index in the columnar data. */
  index: Map<string, number>;
  /** Bit t set: the rollout has a turn of TIER_NAMES[t]. */
  tierMask: Uint8Array;
  /** 1: the rollout has a misaligned turn (computed on first use: it needs the experiment's analysis). */
  misaligned(db: Db): Uint8Array;
  strip(id: string, outcome: number | null): RolloutStripData;
}

const clean = (x: number): number => (Number.isFinite(x) && x !== 0 ? x : 0);
const signOf = (v: number): number => (v > DEAD_EPS ? 1 : v < -DEAD_EPS ? -1 : 0);

/** The strip of rollout `id` from its turn values; not scored when the values do not hold it (still running). */
export function stripOf(values: TurnValues, id: string, outcomeRaw: number | null): RolloutStripData {
  const outcome = outcomeRaw === null ? null : outcomeRaw === 1 ? 1 : 0;
  const i = values.index.get(id);
  if (i === undefined) return { outcome, scored: false, return: null, outcome_advantage: null, turns: [] };
  const { offsets, tier, reward, adv, ao } = values;
  const turns: StripTurn[] = [];
  let ret = 0;
  for (let t = offsets[i]; t < offsets[i + 1]; t++) {
    const r = clean(reward[t]);
    ret += r;
    turns.push({ tier: TIER_NAMES[tier[t]], reward: r, advantage: clean(adv[t]) });
  }
  return { outcome, scored: true, return: clean(ret), outcome_advantage: clean(ao[i]), turns };
}

export function turnFlags(db: Db, experimentId: number, config: RewardConfig, configHash: string): TurnFlags {
  const exp = getExperimentData(db, experimentId, classifyOptionsOf(config));
  const key = `search-flags|${configHash}|${exp.version}`;
  const hit = cacheGet<TurnFlags>(exp.results, key);
  if (hit) return hit;
  const { data } = exp;
  const v = computeTurnValues(data, config);
  const values: TurnValues = {
    index: new Map(),
    offsets: Int32Array.from(data.turnOffsets.subarray(0, data.nRollouts + 1)),
    tier: v.tier.slice(),
    reward: v.reward.slice(),
    adv: v.adv.slice(),
    ao: v.ao.slice(),
  };
  const { index, offsets, tier, adv } = values;
  const tierMask = new Uint8Array(data.nRollouts);
  for (let i = 0; i < data.nRollouts; i++) {
    index.set(data.rolloutIds[i], i);
    let mask = 0;
    for (let t = offsets[i], e = offsets[i + 1]; t < e; t++) mask |= 1 << tier[t];
    tierMask[i] = mask;
  }
  let misaligned: Uint8Array | null = null;
  const flags: TurnFlags = {
    index,
    tierMask,
    misaligned(db) {
      if (misaligned) return misaligned;
      // The intended signs come from the experiment's analysis (cached with its results): only a misalignment filter pays for it.
      const intended = intendedSigns(runAnalysis(db, experimentId, { config }).analysis);
      const want = TIER_NAMES.map((t) => intended[t] ?? 0);
      misaligned = new Uint8Array(tierMask.length);
      for (let i = 0; i < tierMask.length; i++) {
        for (let t = offsets[i], e = offsets[i + 1]; t < e; t++) {
          const w = want[tier[t]];
          const s = signOf(adv[t]);
          if (w !== 0 && s !== 0 && s !== w) {
            misaligned[i] = 1;
            break;
          }
        }
      }
      return misaligned;
    },
    strip: (id, outcome) => stripOf(values, id, outcome),
  };
  cacheSet(exp.results, key, flags);
  return flags;
}
