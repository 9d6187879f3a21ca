/**
 * A tier's advantage direction against its intended sign (sign of rho). Three answers, not
 * two: a mean advantage of zero has no direction. That is what a group of one rollout gives
 * (every advantage is exactly 0: there is no sibling to compare with), and a group whose
 * rollouts all pass or all fail under GRPO. Counting it as a mismatch would report
 * "misaligned" on data that carries no gradient at all, and the IRC stop rule would ask for
 * reweighting that cannot change a zero.
 */
import { DEAD_EPS } from "./diagnostics";

/**
 * |mean A| at or below this is "no direction". The same threshold that calls a turn's
 * advantage dead: advantages are group-normalised (order 1), so a mean this small is the
 * rounding of an exact zero (equal values cancelling), not a push in either direction.
 * (A smaller cut such as 1e-12 would hand such rounding a sign.)
 */
export const NO_DIRECTION_EPS = DEAD_EPS;

export type TierDirection = "aligned" | "misaligned" | "none";

/** Direction of a tier whose intended sign is known; a null mean (no turns) has none. */
export function tierDirection(meanAdv: number | null, intended: 1 | -1): TierDirection {
  if (meanAdv === null || !Number.isFinite(meanAdv) || Math.abs(meanAdv) <= NO_DIRECTION_EPS) return "none";
  return (meanAdv > 0 ? 1 : -1) === intended ? "aligned" : "misaligned";
}
