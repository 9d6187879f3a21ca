import { describe, expect, it } from "vitest";
import { NAIVE_V5 } from "../rewards";
import { analysisQueryOptions, classificationPart, drillTurnsQuery, exportHref, toSliceInput } from "./calibration";

describe("client helpers", () => {
  it("sends no slice when nothing filters, and only the filters that are set", () => {
    expect(toSliceInput({ w: [], b: [], behavior: [] })).toBeNull();
    expect(toSliceInput({ w: [2], b: [], behavior: ["terse"] })).toEqual({ w: [2], behavior: ["terse"] });
  });

  it("builds the drill-down query for each kind of selection", () => {
    const base = { configHash: "h1", slice: { w: [1, 3], b: [], behavior: [] }, limit: 50, offset: 0 };
    expect(drillTurnsQuery({ ...base, selection: { kind: "tier", tier: "read" } })).toBe("config=h1&tier=read&w=1%2C3&limit=50");
    expect(drillTurnsQuery({ ...base, selection: { kind: "position", position: 7, tier: "gold" }, offset: 50 }, true)).toBe(
      "config=h1&tier=gold&position=7&position_pooled=1&w=1%2C3&limit=50&offset=50",
    );
    expect(drillTurnsQuery({ ...base, slice: { w: [], b: [], behavior: [] }, selection: { kind: "cell", w: 2, b: 4 } })).toBe("config=h1&cell=2%3A4&limit=50");
  });

  it("links exports, with the iteration only when given", () => {
    expect(exportHref(3, "sft")).toBe("/api/experiments/3/export?format=sft");
    expect(exportHref(3, "rl", 12)).toBe("/api/experiments/3/export?format=rl&iteration=12");
  });

  it("keys the analysis by the full config, so equal configs share a cache entry and any edit misses it", () => {
    const slice = { w: [], b: [], behavior: [] };
    const a = analysisQueryOptions(1, NAIVE_V5, slice).queryKey;
    const b = analysisQueryOptions(1, { ...NAIVE_V5 }, slice).queryKey;
    const c = analysisQueryOptions(1, { ...NAIVE_V5, tiers: { ...NAIVE_V5.tiers, read: 0 } }, slice).queryKey;
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("leaves tier values and estimator knobs out of the classification part (flip counts)", () => {
    const edited = { ...NAIVE_V5, tiers: { ...NAIVE_V5.tiers, read: 0 }, estimator: "hybrid" as const, gamma: 0.5 };
    expect(classificationPart(edited)).toEqual(classificationPart(NAIVE_V5));
    expect(classificationPart({ ...NAIVE_V5, gold_matching: "any" })).not.toEqual(classificationPart(NAIVE_V5));
  });
});
