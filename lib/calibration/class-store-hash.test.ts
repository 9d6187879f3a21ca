/**
 * The action dictionary of the class store is an open-addressing table. Its first probe slot
 * must spread over the whole table at every size: when it could reach only the lowest 2^17
 * slots, an experiment with more than ~65k distinct tool calls loaded quadratically (the first
 * search of a 1M-message experiment took 55 s instead of 4 s in bench/search.ts).
 */
import { describe, expect, it } from "vitest";
import { actionHashSlot } from "./class-store";

describe("actionHashSlot", () => {
  it("reaches every part of a large table and fills its buckets evenly", () => {
    const capacity = 1 << 21;
    const buckets = new Uint32Array(64);
    let state = 12345;
    const next = () => (state = (Math.imul(state, 1103515245) + 12345) | 0);
    const keys = 200_000;
    let outside = 0;
    for (let i = 0; i < keys; i++) {
      const slot = actionHashSlot(next(), next(), capacity - 1);
      if (slot < 0 || slot >= capacity) outside++;
      else buckets[Math.floor((slot / capacity) * 64)]++;
    }
    expect(outside).toBe(0);
    // Each of the 64 equal slices of the table gets close to 1/64 of the keys.
    const expected = keys / 64;
    for (const n of buckets) {
      expect(n).toBeGreaterThan(expected * 0.8);
      expect(n).toBeLessThan(expected * 1.2);
    }
  });

  it("keeps sequential hashes (consecutive ids) apart", () => {
    const mask = (1 << 20) - 1;
    const slots = new Set<number>();
    for (let i = 0; i < 10_000; i++) slots.add(actionHashSlot(i, 0, mask));
    expect(slots.size).toBeGreaterThan(9_900);
  });
});
