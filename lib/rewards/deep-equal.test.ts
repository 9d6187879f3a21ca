import { describe, expect, it } from "vitest";
import { canonicalJson, deepEqualJson, normalizeJson } from "./deep-equal";

const ALL = { sort_lists: true, coerce_numeric_strings: true, drop_empty: true };
const NONE = { sort_lists: false, coerce_numeric_strings: false, drop_empty: false };

describe("deep-equal normalisations", () => {
  it("canonical JSON sorts keys at every level", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}');
  });

  it("sort_lists: lists of objects compare as multisets", () => {
    const a = { passengers: [{ first_name: "A" }, { first_name: "B" }] };
    const b = { passengers: [{ first_name: "B" }, { first_name: "A" }] };
    expect(deepEqualJson(a, b, ALL)).toBe(true);
    expect(deepEqualJson(a, b, { ...ALL, sort_lists: false })).toBe(false);
    // Lists of scalars keep their order.
    expect(deepEqualJson({ x: [1, 2] }, { x: [2, 1] }, ALL)).toBe(false);
  });

  it("coerce_numeric_strings: '123' = 123 and '12.50' = 12.5, ids stay strings", () => {
    expect(deepEqualJson({ amount: "12.50" }, { amount: 12.5 }, ALL)).toBe(true);
    expect(deepEqualJson({ n: "123" }, { n: 123 }, ALL)).toBe(true);
    expect(deepEqualJson({ n: "123" }, { n: 123 }, { ...ALL, coerce_numeric_strings: false })).toBe(false);
    expect(normalizeJson("HAT001", ALL)).toBe("HAT001");
    expect(normalizeJson("2024-05-15", ALL)).toBe("2024-05-15");
  });

  it("drop_empty: null, '', [] and {} members vanish (cascading)", () => {
    const a = { user_id: "u1", note: "", extra: null, list: [], nested: { empty: {} } };
    expect(deepEqualJson(a, { user_id: "u1" }, ALL)).toBe(true);
    expect(deepEqualJson(a, { user_id: "u1" }, { ...ALL, drop_empty: false })).toBe(false);
  });

  it("with every toggle off only key order is ignored", () => {
    expect(deepEqualJson({ a: 1, b: "2" }, { b: "2", a: 1 }, NONE)).toBe(true);
    expect(deepEqualJson({ a: 1, b: "2" }, { b: 2, a: 1 }, NONE)).toBe(false);
  });
});
