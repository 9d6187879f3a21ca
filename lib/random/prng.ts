/**
 * The project's one seeded PRNG (mulberry32) and seed mixing. Every random choice in the
 * airline generator, synthesis, the simulated drivers, synthetic analysis data and the
 * benchmarks goes through it, so output is a pure function of the seeds. Changing any
 * arithmetic here changes every generated sequence (pinned hashes, golden values).
 */

/** mulberry32: a small, fast, seedable generator of floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Rng {
  next(): number; // [0, 1)
  int(lo: number, hi: number): number; // inclusive
  pick<T>(items: readonly T[]): T;
  /** True with probability p; draws nothing when p <= 0 (a zero knob leaves the sequence alone). */
  chance(p: number): boolean;
  shuffle<T>(items: T[]): T[];
  weighted<T>(items: readonly (readonly [T, number])[]): T;
}

export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
    chance: (p) => p > 0 && next() < p,
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const t = items[i];
        items[i] = items[j];
        items[j] = t;
      }
      return items;
    },
    // Index loops, not reduce / for-of destructuring: the airline generator draws a
    // reservation's user from 500 weights thousands of times. Same additions in the same
    // order, so the same draws.
    weighted: (items) => {
      let total = 0;
      for (let i = 0; i < items.length; i++) total += items[i][1];
      let r = next() * total;
      for (let i = 0; i < items.length; i++) {
        r -= items[i][1];
        if (r < 0) return items[i][0];
      }
      return items[items.length - 1][0];
    },
  };
}

/** Derives an independent 32-bit seed from a base seed and labels (FNV-1a over the parts). */
export function mixSeed(...parts: (number | string)[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    const s = String(p) + "\u0000";
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
  }
  return h >>> 0;
}
