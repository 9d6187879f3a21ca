import { describe, expect, it } from "vitest";
import { formatAge, formatDuration, formatPayload, formatProgress, formatRate } from "./format";

describe("jobs table formatting", () => {
  it("formats durations at each scale", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(420)).toBe("420 ms");
    expect(formatDuration(2_345)).toBe("2.3 s");
    expect(formatDuration(42_000)).toBe("42 s");
    expect(formatDuration(125_000)).toBe("2m 05s");
    expect(formatDuration(3_900_000)).toBe("1h 05m");
  });

  it("formats payloads and progress", () => {
    expect(formatPayload({ steps: 5, stepMs: 400 })).toBe("steps=5 stepMs=400");
    expect(formatPayload({})).toBe("");
    expect(formatProgress(3, 10)).toBe("3/10");
    expect(formatProgress(0, null)).toBe("");
  });

  it("formats worker ages and rates", () => {
    expect(formatAge(0)).toBe("0 s");
    expect(formatAge(12_900)).toBe("12 s");
    expect(formatAge(125_000)).toBe("2m 05s");
    expect(formatRate(0)).toBe("0");
    expect(formatRate(Number.NaN)).toBe("0");
    expect(formatRate(0.1234)).toBe("0.12");
    expect(formatRate(12.34)).toBe("12");
    expect(formatRate(1234.5)).toBe("1235");
  });
});
