/**
 * Histogram binning for chart series. Integer-valued data (turns, counts) gets one bin per
 * integer when the range is small, so bars line up with whole numbers instead of
 * straddling them; otherwise the range is cut into `maxBins` equal-width bins.
 */
export interface HistogramBin {
  /** Inclusive lower edge. */
  x0: number;
  /** Exclusive upper edge (inclusive for the last bin). */
  x1: number;
  count: number;
}

export function binValues(values: readonly number[], maxBins = 20): HistogramBin[] {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return [];
  let min = Infinity;
  let max = -Infinity;
  for (const v of finite) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const integers = finite.every((v) => Number.isInteger(v));
  if (integers && max - min + 1 <= maxBins) {
    const bins: HistogramBin[] = [];
    for (let x = min; x <= max; x++) bins.push({ x0: x, x1: x + 1, count: 0 });
    for (const v of finite) bins[v - min].count++;
    return bins;
  }
  if (max === min) return [{ x0: min, x1: min, count: finite.length }];
  const raw = (max - min) / maxBins;
  // Round the width to a "nice" number so edges read well (1, 2, 5 × 10^n).
  const mag = 10 ** Math.floor(Math.log10(raw));
  const width = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((w) => w >= raw) ?? raw;
  const start = Math.floor(min / width) * width;
  const n = Math.max(1, Math.ceil((max - start) / width + 1e-9));
  const bins = Array.from({ length: n }, (_, i) => ({ x0: start + i * width, x1: start + (i + 1) * width, count: 0 }));
  for (const v of finite) bins[Math.min(n - 1, Math.floor((v - start) / width))].count++;
  return bins;
}

/**
 * "12" for one-integer bins, "10–20" otherwise. With `integer` data the exclusive upper
 * edge is shown as the last whole number inside the bin ([1, 4) → "1–3"); `last` marks the
 * final bin, whose upper edge is inclusive.
 */
export function formatBinLabel(
  bin: HistogramBin,
  format: (v: number) => string = String,
  opts: { integer?: boolean; last?: boolean } = {},
): string {
  if (bin.x1 - bin.x0 === 1 && Number.isInteger(bin.x0)) return format(bin.x0);
  if (opts.integer && Number.isInteger(bin.x0) && Number.isInteger(bin.x1)) {
    const hi = opts.last ? bin.x1 : bin.x1 - 1;
    return hi <= bin.x0 ? format(bin.x0) : `${format(bin.x0)}–${format(hi)}`;
  }
  return `${format(bin.x0)}–${format(bin.x1)}`;
}
