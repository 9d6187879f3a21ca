import { describe, expect, it } from "vitest";
import { binValues, formatBinLabel } from "./bins";
import { divergingScale, extentOf, normalize, sequentialScale } from "./color-scale";

describe("binValues", () => {
  it("gives one bin per integer for a small integer range, counting every value", () => {
    const bins = binValues([3, 5, 5, 7]);
    expect(bins.map((b) => b.x0)).toEqual([3, 4, 5, 6, 7]);
    expect(bins.map((b) => b.count)).toEqual([1, 0, 2, 0, 1]);
    expect(formatBinLabel(bins[2])).toBe("5");
  });

  it("cuts a wide range into nice equal-width bins that cover min and max", () => {
    const values = [0, 999, 1500, 4000, 10_000];
    const bins = binValues(values, 10);
    expect(bins.length).toBeLessThanOrEqual(11);
    expect(bins[0].x0).toBeLessThanOrEqual(0);
    expect(bins.at(-1)!.x1).toBeGreaterThan(10_000);
    expect(bins.reduce((s, b) => s + b.count, 0)).toBe(values.length);
    expect(bins[0].x1 - bins[0].x0).toBe(1000);
    expect(formatBinLabel(bins[1])).toBe("1000–2000");
    expect(formatBinLabel({ x0: 1, x1: 4, count: 0 }, String, { integer: true })).toBe("1–3");
    expect(formatBinLabel({ x0: 58, x1: 61, count: 0 }, String, { integer: true, last: true })).toBe("58–61");
  });

  it("handles empty input and a single repeated value", () => {
    expect(binValues([])).toEqual([]);
    expect(binValues([NaN])).toEqual([]);
    expect(binValues([2.5, 2.5])).toEqual([{ x0: 2.5, x1: 2.5, count: 2 }]);
  });
});

describe("colour scales", () => {
  it("normalizes into [0, 1] and survives a degenerate domain", () => {
    expect(normalize(5, [0, 10])).toBe(0.5);
    expect(normalize(-1, [0, 10])).toBe(0);
    expect(normalize(3, [3, 3])).toBe(0.5);
  });

  it("finds the finite extent of a matrix, ignoring gaps", () => {
    expect(extentOf([[null, 2], [7, NaN]])).toEqual([2, 7]);
    expect(extentOf([[null]])).toBeNull();
  });

  it("picks white text on the dark end of the sequential scale and dark text on the light end", () => {
    expect(sequentialScale(1).foreground).toBe("oklch(0.985 0 0)");
    expect(sequentialScale(0).foreground).not.toBe("oklch(0.985 0 0)");
    expect(divergingScale(0).background).not.toBe(divergingScale(1).background);
  });
});
