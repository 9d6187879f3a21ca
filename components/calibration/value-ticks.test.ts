import { describe, expect, it } from "vitest";
import { axisWidthFor, formatTicks, valueTicks } from "./value-ticks";

describe("valueTicks", () => {
  it("widens the data's extent, with 0, to 5 nice ticks", () => {
    expect(valueTicks([-0.83, 1.92, null])).toEqual({ ticks: [-0.85, 0, 0.85, 1.7, 2.55], lo: -0.85, hi: 2.55 });
    expect(valueTicks([3.1, 23.4])).toEqual({ ticks: [0, 6, 12, 18, 24], lo: 0, hi: 24 });
    expect(valueTicks([-2.13, -0.5])).toEqual({ ticks: [-2.2, -1.65, -1.1, -0.55, 0], lo: -2.2, hi: 0 });
  });
  it("keeps a given domain's ends, with the nice ticks inside it", () => {
    expect(valueTicks([12], [0, 30])).toEqual({ ticks: [0, 8, 16, 24, 30], lo: 0, hi: 30 });
    expect(valueTicks([55], [0, 100])).toEqual({ ticks: [0, 25, 50, 75, 100], lo: 0, hi: 100 });
  });
  it("never returns an empty or inverted axis", () => {
    const none = valueTicks([null, Number.NaN]);
    expect(none.hi).toBeGreaterThan(none.lo);
    expect(none.ticks.length).toBeGreaterThan(1);
  });
});

describe("formatTicks / axisWidthFor", () => {
  it("uses the decimals the ticks need, with a dot, and no -0", () => {
    expect(formatTicks([0, 0.017, 0.034]).labels).toEqual(["0.000", "0.017", "0.034"]);
    expect(formatTicks([0, 25, 50, 75, 100]).labels).toEqual(["0", "25", "50", "75", "100"]);
    expect(formatTicks([-0.5, -0, 0.5]).labels).toEqual(["-0.5", "0.0", "0.5"]);
  });
  it("widens the axis for longer labels, so 0.034 is not clipped to .034", () => {
    expect(axisWidthFor(["0.034"])).toBeGreaterThan(34);
    expect(axisWidthFor(["100"])).toBeLessThan(axisWidthFor(["0.034"]));
  });
});
