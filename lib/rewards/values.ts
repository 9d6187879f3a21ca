/** Per-turn reward values under a config: the tier's value, or the soft formula. */
import type { TierValues } from "./config";
import { TIER_CODE, TIER_COUNT, TIER_NAMES } from "./tiers";

/**
 * 0.5 + 0.5·matched/total, capped at 0.99: a call that matches every gold argument but is still
 * not deep-equal (it carries extra arguments) stays below an exact gold match.
 */
export function softFormulaValue(fraction: number): number {
  const v = 0.5 + 0.5 * fraction;
  return v > 0.99 ? 0.99 : v;
}

/** Values indexed by tier code; `softIsFormula` says whether the soft slot is to be ignored. */
export function tierValueTable(tiers: TierValues): { values: Float64Array; softIsFormula: boolean } {
  const values = new Float64Array(TIER_COUNT);
  for (let c = 0; c < TIER_COUNT; c++) {
    const v = tiers[TIER_NAMES[c]];
    values[c] = typeof v === "number" ? v : 0;
  }
  return { values, softIsFormula: tiers.soft === "formula" };
}

export function turnReward(tierCode: number, softFraction: number, tiers: TierValues): number {
  if (tierCode === TIER_CODE.soft && tiers.soft === "formula") return softFormulaValue(softFraction);
  const v = tiers[TIER_NAMES[tierCode]];
  return typeof v === "number" ? v : 0;
}
