/** mulberry32: a small, fast, seedable PRNG. All randomness in the generator goes through it. */
export interface Rng {
  next(): number; // [0, 1)
  int(lo: number, hi: number): number; // inclusive
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  shuffle<T>(items: T[]): T[];
}

export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng: Rng = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
    chance: (p) => next() < p,
    // Index loops, not reduce / for-of destructuring: the generator draws a reservation's
    // user from 500 weights thousands of times. Same additions in the same order, so the
    // same draws.
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
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [items[i], items[j]] = [items[j], items[i]];
      }
      return items;
    },
  };
  return rng;
}
