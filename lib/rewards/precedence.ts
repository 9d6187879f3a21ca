/**
 * Turning stored class sets into tiers. A call (or turn) may carry several classes at once
 * (a repeated write is both "duplicate" and "state"); the precedence picks one. A 128-entry
 * lookup table per precedence makes re-tiering millions of turns a single indexed load each.
 */
import { createCache } from "../cache/lru";
import { TIER_CODE, TIER_COUNT, type TierName } from "./tiers";

const LUT_CACHE = createCache<Uint8Array>({
  name: "rewards.tier-luts",
  maxEntries: 64,
  purpose: "the 128-entry mask-to-tier lookup table per tier precedence (a config may reorder the tiers)",
});

/** lut[mask] = code of the highest-precedence tier in mask; an empty mask is a message. */
export function buildTierLut(precedence: readonly TierName[]): Uint8Array {
  const key = precedence.join(",");
  const cached = LUT_CACHE.get(key);
  if (cached) return cached;
  const lut = new Uint8Array(1 << TIER_COUNT);
  for (let mask = 0; mask < lut.length; mask++) {
    let tier = TIER_CODE.message;
    for (const name of precedence) {
      if (mask & (1 << TIER_CODE[name])) {
        tier = TIER_CODE[name];
        break;
      }
    }
    lut[mask] = tier;
  }
  LUT_CACHE.set(key, lut);
  return lut;
}

export function tierOfMask(mask: number, precedence: readonly TierName[]): number {
  return buildTierLut(precedence)[mask & ((1 << TIER_COUNT) - 1)];
}
