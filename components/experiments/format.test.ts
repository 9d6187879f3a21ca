import { describe, expect, it } from "vitest";
import { formatCompact, formatDurationMs, formatInt, formatPct, formatTimestamp, humanize } from "./format";

describe("experiment formatting", () => {
  it("formats rates and missing values", () => {
    expect(formatPct(0.4567)).toBe("45.7%");
    expect(formatPct(null)).toBe("—");
    expect(formatPct(1, 0)).toBe("100%");
  });

  it("abbreviates token counts", () => {
    expect(formatCompact(999)).toBe("999");
    expect(formatCompact(1234)).toBe("1.2k");
    expect(formatCompact(56_789)).toBe("57k");
    expect(formatCompact(3_400_000)).toBe("3.4M");
    expect(formatInt(1234567)).toBe("1,234,567");
  });

  it("formats durations for ETAs", () => {
    expect(formatDurationMs(45_000)).toBe("45s");
    expect(formatDurationMs(200_000)).toBe("3m 20s");
    expect(formatDurationMs(2 * 3600_000 + 5 * 60_000)).toBe("2h 05m");
    expect(formatDurationMs(null)).toBe("—");
  });

  it("accepts timestamps in seconds or milliseconds alike", () => {
    expect(formatTimestamp(1_700_000_000)).toBe(formatTimestamp(1_700_000_000_000));
    expect(humanize("too_many_errors")).toBe("too many errors");
  });
});
