import { describe, expect, it } from "vitest";
import type { CellSummary } from "@/lib/calibration/api-types";
import type { CompareTaskRow } from "@/lib/compare/compare";
import { compareHref, decodeCompareState, encodeCompareState } from "./compare-url";
import { cellDeltaMatrix, sortTaskRows } from "./series";

const row = (task_id: string, a: number | null, b: number | null): CompareTaskRow => {
  const side = (r: number | null) => ({ rollouts: r === null ? 0 : 4, passed: r === null ? 0 : r * 4, pass_rate: r, group_id: null, groups: 0 });
  return { task_id, a: side(a), b: side(b), delta: a !== null && b !== null ? b - a : null };
};

describe("sortTaskRows", () => {
  const rows = [row("t1", 0.5, 0.75), row("t2", 1, 0.25), row("t3", null, 0.5), row("t4", 0.25, 0.5)];
  it("orders by delta descending with ties by task id and rows without a value last", () => {
    expect(sortTaskRows(rows, "delta", "desc").map((r) => r.task_id)).toEqual(["t1", "t4", "t2", "t3"]);
    expect(sortTaskRows(rows, "delta", "asc").map((r) => r.task_id)).toEqual(["t2", "t1", "t4", "t3"]);
  });
  it("orders by a side's pass rate or the task id", () => {
    expect(sortTaskRows(rows, "a", "asc").map((r) => r.task_id)).toEqual(["t4", "t1", "t2", "t3"]);
    expect(sortTaskRows(rows, "task", "desc").map((r) => r.task_id)).toEqual(["t4", "t3", "t2", "t1"]);
  });
});

describe("cellDeltaMatrix", () => {
  const cell = (w: number, b: number, pass: number, soft: number | null): CellSummary =>
    ({ w, b, n_rollouts: 8, pass_rate: pass, mismatches: 0, mean_adv: { soft }, rho: { soft: null } }) as unknown as CellSummary;
  it("puts B − A on a W × B grid, null where a side is missing", () => {
    const m = cellDeltaMatrix(
      [
        { w: 1, b: 2, a: cell(1, 2, 0.5, -0.25), b_side: cell(1, 2, 0.75, 0.5) },
        { w: 2, b: 4, a: null, b_side: cell(2, 4, 1, 0.1) },
      ],
      "pass_rate",
      "soft",
    );
    expect([m.ws, m.bs]).toEqual([[1, 2], [2, 4]]);
    expect(m.values).toEqual([[25, null], [null, null]]);
    expect(cellDeltaMatrix([{ w: 1, b: 2, a: cell(1, 2, 0.5, -0.25), b_side: cell(1, 2, 0.75, 0.5) }], "mean_adv", "soft").values).toEqual([[0.75]]);
  });
});

describe("compare URL state", () => {
  it("round-trips sides, steps, config and view, leaving defaults out", () => {
    const href = compareHref({ a: 4, b: 4, aSteps: [0, 50], bSteps: [400, 450], estimator: "hybrid", sort: "task", dir: "asc", task: "writ-c1" });
    expect(href).toBe("/compare?a=4&a_steps=0-50&b=4&b_steps=400-450&estimator=hybrid&sort=task&dir=asc&task=writ-c1");
    const back = decodeCompareState(Object.fromEntries(new URL(`http://x${href}`).searchParams));
    expect(encodeCompareState(back)).toBe(href.slice("/compare?".length));
    expect(decodeCompareState({ a: "0", b: "x", estimator: "ppo", metric: "bogus" })).toMatchObject({ a: null, b: null, estimator: "", metric: "pass_rate" });
  });
});
