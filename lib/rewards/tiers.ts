/**
 * The seven reward tiers of docs/reward-calibration.md §2 and their numeric codes.
 * Codes index every per-tier array in lib/analysis; a class set is a bitmask of (1 << code).
 */
export const TIER_NAMES = ["gold", "soft", "read", "state", "message", "error", "duplicate"] as const;
export type TierName = (typeof TIER_NAMES)[number];
export const TIER_COUNT = TIER_NAMES.length;

export const TIER_CODE: Readonly<Record<TierName, number>> = {
  gold: 0,
  soft: 1,
  read: 2,
  state: 3,
  message: 4,
  error: 5,
  duplicate: 6,
};

export const DEFAULT_PRECEDENCE: readonly TierName[] = ["gold", "soft", "error", "duplicate", "state", "read", "message"];

export function isTierName(value: unknown): value is TierName {
  return typeof value === "string" && (TIER_NAMES as readonly string[]).includes(value);
}

export function tierBit(tier: TierName): number {
  return 1 << TIER_CODE[tier];
}

/** Names of the classes set in a bitmask, in code order. */
export function classesOfMask(mask: number): TierName[] {
  const out: TierName[] = [];
  for (let c = 0; c < TIER_COUNT; c++) if (mask & (1 << c)) out.push(TIER_NAMES[c]);
  return out;
}
