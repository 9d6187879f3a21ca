/**
 * A signed colour scale for advantages and correlations: red below the middle, neutral at it,
 * blue above (t = 0.5 is zero when the domain is symmetric). Cells paint their own background
 * and pick a contrasting text colour, so they read in both themes.
 */
import type { ColorScale } from "@/components/charts/color-scale";

const NEG = { l: 0.58, c: 0.19, h: 25 };
const MID = { l: 0.93, c: 0.01, h: 260 };
const POS = { l: 0.52, c: 0.17, h: 255 };

export const signedScale: ColorScale = (raw) => {
  const t = Number.isFinite(raw) ? Math.min(1, Math.max(0, raw)) : 0.5;
  const [a, b, u] = t < 0.5 ? [NEG, MID, t / 0.5] : [MID, POS, (t - 0.5) / 0.5];
  const l = a.l + (b.l - a.l) * u;
  const c = a.c + (b.c - a.c) * u;
  // Hue jumps through the neutral middle where chroma is ~0, so take the far end's hue.
  const h = t < 0.5 ? NEG.h : POS.h;
  return { background: `oklch(${l.toFixed(3)} ${c.toFixed(3)} ${h})`, foreground: l >= 0.68 ? "oklch(0.21 0.006 286)" : "oklch(0.985 0 0)" };
};

/** [−m, m] around the data's largest magnitude, so 0 sits in the neutral middle. */
export function symmetricDomain(values: readonly (readonly (number | null)[])[], floor = 1e-6): [number, number] {
  let m = floor;
  for (const row of values) for (const v of row) if (v !== null && Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  return [-m, m];
}
