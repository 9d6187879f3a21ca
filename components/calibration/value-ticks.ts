/** The value axis of ./svg-bar-chart: the domain and ticks recharts' number axis would pick. */
import { getNiceTickValues } from "recharts";

/**
 * Domain and ticks as recharts' number axis gives them (5 nice ticks): a given domain keeps its
 * ends and the nice ticks inside it; otherwise the data's extent with 0, widened to the ticks.
 */
export function valueTicks(values: readonly (number | null)[], domain?: readonly [number, number]): { ticks: number[]; lo: number; hi: number } {
  if (domain) {
    const [lo, hi] = domain;
    const inside = getNiceTickValues([lo, hi], 5).filter((t) => t > lo && t < hi);
    return { ticks: [lo, ...inside, hi], lo, hi };
  }
  let lo = 0;
  let hi = 0;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const ticks = getNiceTickValues([lo, hi], 5);
  return { ticks, lo: Math.min(lo, ticks[0]), hi: Math.max(hi, ticks[ticks.length - 1]) };
}
