/**
 * Colour scales for heatmap cells. Each scale maps t ∈ [0, 1] to a background and a text
 * colour chosen for contrast against it, so a cell stays readable in light and dark
 * themes (the cell paints its own background instead of relying on the page's).
 */
export interface CellColor {
  background: string;
  foreground: string;
}

export type ColorScale = (t: number) => CellColor;

interface Oklch {
  l: number;
  c: number;
  h: number;
}

const clamp01 = (t: number) => (Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0);

function mix(a: Oklch, b: Oklch, t: number): Oklch {
  return { l: a.l + (b.l - a.l) * t, c: a.c + (b.c - a.c) * t, h: a.h + (b.h - a.h) * t };
}

function toCss({ l, c, h }: Oklch): string {
  return `oklch(${l.toFixed(3)} ${c.toFixed(3)} ${h.toFixed(1)})`;
}

/** Dark text on light cells, white text on dark ones (OKLCH lightness is perceptual, so one threshold works). */
function textFor(l: number): string {
  return l >= 0.66 ? "oklch(0.21 0.006 286)" : "oklch(0.985 0 0)";
}

function piecewise(stops: readonly Oklch[]): ColorScale {
  return (raw) => {
    const t = clamp01(raw) * (stops.length - 1);
    const i = Math.min(stops.length - 2, Math.floor(t));
    const color = mix(stops[i], stops[i + 1], t - i);
    return { background: toCss(color), foreground: textFor(color.l) };
  };
}

/** Low is bad (red), middle amber, high good (green): pass rates. */
export const divergingScale: ColorScale = piecewise([
  { l: 0.7, c: 0.16, h: 25 },
  { l: 0.84, c: 0.15, h: 85 },
  { l: 0.76, c: 0.17, h: 150 },
]);

/** Light to dark blue: magnitudes such as tokens. */
export const sequentialScale: ColorScale = piecewise([
  { l: 0.95, c: 0.03, h: 250 },
  { l: 0.45, c: 0.17, h: 265 },
]);

/**
 * Signed values (advantages, correlations, deltas B − A): red below the middle, neutral at it,
 * blue above; t = 0.5 is zero when the domain is symmetric (see symmetricDomain).
 */
export const signedScale: ColorScale = (raw) => {
  const NEG = { l: 0.58, c: 0.19, h: 25 };
  const MID = { l: 0.93, c: 0.01, h: 260 };
  const POS = { l: 0.52, c: 0.17, h: 255 };
  const t = Number.isFinite(raw) ? Math.min(1, Math.max(0, raw)) : 0.5;
  const [a, b, u] = t < 0.5 ? [NEG, MID, t / 0.5] : [MID, POS, (t - 0.5) / 0.5];
  const l = a.l + (b.l - a.l) * u;
  const c = a.c + (b.c - a.c) * u;
  // Hue jumps through the neutral middle where chroma is ~0, so take the far end's hue.
  const h = t < 0.5 ? NEG.h : POS.h;
  return { background: `oklch(${l.toFixed(3)} ${c.toFixed(3)} ${h})`, foreground: l >= 0.68 ? "oklch(0.21 0.006 286)" : "oklch(0.985 0 0)" };
};

/** [−m, m] around the data's largest magnitude, so 0 sits in the neutral middle of a signed scale. */
export function symmetricDomain(values: readonly (readonly (number | null)[])[], floor = 1e-6): [number, number] {
  let m = floor;
  for (const row of values) for (const v of row) if (v !== null && Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  return [-m, m];
}

/** Position of v inside [min, max]; a degenerate domain maps everything to the middle. */
export function normalize(v: number, [min, max]: readonly [number, number]): number {
  if (!(max > min)) return 0.5;
  return clamp01((v - min) / (max - min));
}

/** The finite extent of a matrix of values, or null when it holds none. */
export function extentOf(values: readonly (readonly (number | null | undefined)[])[]): [number, number] | null {
  let min = Infinity;
  let max = -Infinity;
  for (const row of values)
    for (const v of row) {
      if (v === null || v === undefined || !Number.isFinite(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  return min <= max ? [min, max] : null;
}
