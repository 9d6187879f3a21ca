/**
 * Per rollout, under one reward config: which tiers its agent turns have, whether any turn is
 * misaligned, and its strip (turn tier, reward, advantage). Computed once per config and data
 * version from the workbench's columnar store (the stored class rows), never from messages,
 * and cached with the experiment's other results.
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

export interface TurnFlags {
  /** Rollout id → index in the columnar data. */
  index: Map<string, number>;
  /** Bit t set: the rollout has a turn of TIER_NAMES[t]. */
  tierMask: Uint8Array;
  misaligned: Uint8Array;
  strip(id: string, outcome: number | null): RolloutStripData;
}

const clean = (x: number): number => (Number.isFinite(x) && x !== 0 ? x : 0);
const signOf = (v: number): number => (v > DEAD_EPS ? 1 : v < -DEAD_EPS ? -1 : 0);

export function turnFlags(db: Db, experimentId: number, config: RewardConfig, configHash: string): TurnFlags {
  const exp = getExperimentData(db, experimentId, classifyOptionsOf(config));
  const key = `search-flags|${configHash}|${exp.version}`;
  const hit = cacheGet<TurnFlags>(exp.results, key);
  if (hit) return hit;
  const { data } = exp;
  const intended = intendedSigns(runAnalysis(db, experimentId, { config }).analysis);
  const want = TIER_NAMES.map((t) => intended[t] ?? 0);
  const v = computeTurnValues(data, config);
  // computeTurnValues returns views into a shared workspace: keep copies.
  const tier = v.tier.slice();
  const reward = v.reward.slice();
  const adv = v.adv.slice();
  const ao = v.ao.slice();
  const index = new Map<string, number>();
  const tierMask = new Uint8Array(data.nRollouts);
  const misaligned = new Uint8Array(data.nRollouts);
  for (let i = 0; i < data.nRollouts; i++) {
    index.set(data.rolloutIds[i], i);
    let mask = 0;
    let mis = 0;
    for (let t = data.turnOffsets[i], e = data.turnOffsets[i + 1]; t < e; t++) {
      mask |= 1 << tier[t];
      const w = want[tier[t]];
      const s = signOf(adv[t]);
      if (w !== 0 && s !== 0 && s !== w) mis = 1;
    }
    tierMask[i] = mask;
    misaligned[i] = mis;
  }
  const offsets = data.turnOffsets.slice(0, data.nRollouts + 1);
  const flags: TurnFlags = {
    index,
    tierMask,
    misaligned,
    strip(id, outcomeRaw) {
      const outcome = outcomeRaw === null ? null : outcomeRaw === 1 ? 1 : 0;
      const i = index.get(id);
      if (i === undefined) return { outcome, scored: false, return: null, outcome_advantage: null, turns: [] };
      const turns: StripTurn[] = [];
      let ret = 0;
      for (let t = offsets[i]; t < offsets[i + 1]; t++) {
        const r = clean(reward[t]);
        ret += r;
        turns.push({ tier: TIER_NAMES[tier[t]], reward: r, advantage: clean(adv[t]) });
      }
      return { outcome, scored: true, return: clean(ret), outcome_advantage: clean(ao[i]), turns };
    },
  };
  cacheSet(exp.results, key, flags);
  return flags;
}
