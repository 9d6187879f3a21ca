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

/**
 * Tick labels with as many decimals as the ticks need to differ (at most 3): 0.017 and 0.034,
 * not 0.01699999, and "50" rather than "50.0". Always "." as the decimal mark.
 */
export function formatTicks(ticks: readonly number[]): { labels: string[]; decimals: number } {
  let decimals = 0;
  for (const t of ticks) {
    while (decimals < 3 && Math.abs(Number(t.toFixed(decimals)) - t) > 1e-9 * Math.max(1, Math.abs(t))) decimals++;
  }
  return { labels: ticks.map((t) => (Math.abs(t) < 1e-12 ? 0 : t).toFixed(decimals)), decimals };
}

/** Width in px of a y-axis whose longest tick label is `labels`' longest (11 px tabular digits + tick line). */
export function axisWidthFor(labels: readonly string[], fontSize = 11): number {
  const longest = labels.reduce((m, l) => Math.max(m, l.length), 1);
  return Math.ceil(longest * fontSize * 0.62) + 14;
}
