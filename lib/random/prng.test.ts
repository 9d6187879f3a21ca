import { describe, expect, it } from "vitest";
import { createRng, mixSeed, mulberry32 } from "./prng";

// Generated airline states, synthesized tasks, simulated rollouts and the benches all follow
// from these sequences: a change here changes every pinned hash and golden value downstream.
describe("the seeded PRNG", () => {
  it("mulberry32 gives its known sequence", () => {
    const next = mulberry32(1);
    expect([next(), next(), next()]).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
  });

  it("mixSeed is FNV-1a over the parts", () => {
    expect([mixSeed(1, "a", 2), mixSeed("simulated-agent"), mixSeed(20240515, 0, 3)]).toEqual([1603400935, 2245834039, 3361041343]);
  });

  it("createRng draws from mulberry32", () => {
    const r = createRng(20240515);
    expect([r.int(1, 100), r.pick(["a", "b", "c"]), r.weighted([["x", 1], ["y", 3]] as const), r.shuffle([1, 2, 3, 4, 5]).join("")]).toEqual([50, "b", "y", "13425"]);
  });

  it("chance(0) draws nothing, so a zero knob leaves the sequence alone", () => {
    const r = createRng(7);
    expect(r.chance(0)).toBe(false);
    expect(r.next()).toBe(mulberry32(7)());
  });
});
