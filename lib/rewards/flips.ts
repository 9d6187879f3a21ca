/**
 * How many classification decisions change when one deep-equal normalisation is toggled
 * (the paper reports 23.5% of match decisions changed by normalising).
 */
import type { Rollout } from "../types/rollout";
import { classifyRollout, type ClassifyOptions, type GoldAction } from "./classify";
import type { DeepEqualOptions, RewardConfig } from "./config";
import { buildTierLut } from "./precedence";
import { TIER_NAMES } from "./tiers";

export type DeepEqualToggle = keyof DeepEqualOptions;
export const DEEP_EQUAL_TOGGLES: readonly DeepEqualToggle[] = ["sort_lists", "coerce_numeric_strings", "drop_empty"];

export interface FlipCount {
  toggle: DeepEqualToggle;
  /** The toggle's value in the compared config (the base config has the opposite). */
  toggled_to: boolean;
  calls: number;
  /** Calls whose class under the precedence differs. */
  calls_flipped: number;
  call_share: number;
  turns: number;
  turns_flipped: number;
  turn_share: number;
  /** "from→to" → count, over calls. */
  transitions: Record<string, number>;
}

export function countClassificationFlips(
  rollouts: readonly Rollout[],
  config: ClassifyOptions & Pick<RewardConfig, "precedence">,
  toggle: DeepEqualToggle,
  goldFor?: (rollout: Rollout) => readonly GoldAction[] | undefined,
): FlipCount {
  const toggled: ClassifyOptions = { ...config, deep_equal: { ...config.deep_equal, [toggle]: !config.deep_equal[toggle] } };
  const lut = buildTierLut(config.precedence);
  let calls = 0;
  let callsFlipped = 0;
  let turns = 0;
  let turnsFlipped = 0;
  const transitions: Record<string, number> = {};
  for (const rollout of rollouts) {
    const gold = goldFor?.(rollout);
    const a = classifyRollout(rollout, config, gold);
    const b = classifyRollout(rollout, toggled, gold);
    for (let t = 0; t < a.turns.length; t++) {
      turns++;
      if (lut[a.turns[t].mask] !== lut[b.turns[t].mask]) turnsFlipped++;
      const ca = a.turns[t].calls;
      const cb = b.turns[t].calls;
      for (let c = 0; c < ca.length; c++) {
        calls++;
        const from = lut[ca[c].classes];
        const to = lut[cb[c].classes];
        if (from !== to) {
          callsFlipped++;
          const key = `${TIER_NAMES[from]}→${TIER_NAMES[to]}`;
          transitions[key] = (transitions[key] ?? 0) + 1;
        }
      }
    }
  }
  return {
    toggle,
    toggled_to: !config.deep_equal[toggle],
    calls,
    calls_flipped: callsFlipped,
    call_share: calls > 0 ? callsFlipped / calls : 0,
    turns,
    turns_flipped: turnsFlipped,
    turn_share: turns > 0 ? turnsFlipped / turns : 0,
    transitions,
  };
}

export function countAllToggleFlips(
  rollouts: readonly Rollout[],
  config: ClassifyOptions & Pick<RewardConfig, "precedence">,
  goldFor?: (rollout: Rollout) => readonly GoldAction[] | undefined,
): FlipCount[] {
  return DEEP_EQUAL_TOGGLES.map((t) => countClassificationFlips(rollouts, config, t, goldFor));
}
