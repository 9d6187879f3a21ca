import { describe, expect, it } from "vitest";
import type { WBCell } from "@/lib/experiments/api-types";
import { buildWBMatrix, groupsHrefForCell } from "./wb-matrix";

const cell = (writes: number | null, evidence: number | null, pass_rate: number): WBCell => ({
  writes,
  evidence,
  n: 4,
  passed: Math.round(pass_rate * 4),
  pass_rate,
  mean_tokens: 100,
  mean_turns: 5,
});

describe("buildWBMatrix", () => {
  it("always lays out W = 1..5 and places each cell at its (W, B)", () => {
    const m = buildWBMatrix([cell(2, 3, 0.5), cell(1, 1, 1)]);
    expect(m.rows.map((r) => r.label)).toEqual(["1", "2", "3", "4", "5"]);
    expect(m.cols.map((c) => c.label)).toEqual(["1", "3"]);
    expect(m.cells[1][1]?.pass_rate).toBe(0.5);
    expect(m.cells[0][0]?.pass_rate).toBe(1);
    expect(m.cells[4][0]).toBeNull();
  });

  it("keeps W = 0 and tasks without WRIT metadata in their own row and column", () => {
    const m = buildWBMatrix([cell(0, null, 0.25), cell(null, 2, 0)]);
    expect(m.rows.map((r) => r.label)).toEqual(["0", "1", "2", "3", "4", "5", "n/a"]);
    expect(m.cols.map((c) => c.label)).toEqual(["2", "n/a"]);
    expect(m.cells[0][1]?.pass_rate).toBe(0.25);
    expect(m.cells[6][0]?.pass_rate).toBe(0);
  });

  it("links a cell to the group list filtered by its axes", () => {
    expect(groupsHrefForCell(7, 2, 3)).toBe("/experiments/7/groups?w=2&b=3");
    expect(groupsHrefForCell(7, 2, null)).toBe("/experiments/7/groups?w=2");
  });
});
