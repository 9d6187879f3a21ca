import { describe, expect, it } from "vitest";
import { CELL_H, CELL_W, GAP, HEADER_H, cellOrigin, heatmapLayout, isGridKey, moveActive } from "./heatmap-geometry";

describe("heatmapLayout", () => {
  it("sizes the svg from the cell count and the longest row label", () => {
    const l = heatmapLayout(["gold", "duplicate"], 30);
    expect(l.labelW).toBeGreaterThan(24);
    expect(l.width).toBe(l.labelW + 30 * (CELL_W + GAP));
    expect(l.height).toBe(HEADER_H + 2 * (CELL_H + GAP));
  });

  it("keeps a minimum label band for short labels", () => {
    expect(heatmapLayout(["1"], 3).labelW).toBe(24);
  });
});

describe("cellOrigin", () => {
  it("places cells in a grid right of the labels and below the header, half a gap inside their slot", () => {
    const l = heatmapLayout(["a", "b"], 3);
    expect(cellOrigin(l, 0, 0)).toEqual({ x: l.labelW + GAP / 2, y: HEADER_H + GAP / 2 });
    expect(cellOrigin(l, 1, 2)).toEqual({ x: l.labelW + 2 * (CELL_W + GAP) + GAP / 2, y: HEADER_H + (CELL_H + GAP) + GAP / 2 });
  });
});

describe("moveActive", () => {
  it("starts at the top-left cell", () => {
    expect(moveActive(null, "ArrowDown", 3, 4)).toEqual({ row: 0, col: 0 });
  });

  it("moves one step per arrow and clamps at the edges", () => {
    expect(moveActive({ row: 1, col: 1 }, "ArrowUp", 3, 4)).toEqual({ row: 0, col: 1 });
    expect(moveActive({ row: 1, col: 1 }, "ArrowDown", 3, 4)).toEqual({ row: 2, col: 1 });
    expect(moveActive({ row: 1, col: 1 }, "ArrowLeft", 3, 4)).toEqual({ row: 1, col: 0 });
    expect(moveActive({ row: 1, col: 1 }, "ArrowRight", 3, 4)).toEqual({ row: 1, col: 2 });
    expect(moveActive({ row: 0, col: 0 }, "ArrowUp", 3, 4)).toEqual({ row: 0, col: 0 });
    expect(moveActive({ row: 2, col: 3 }, "ArrowRight", 3, 4)).toEqual({ row: 2, col: 3 });
  });

  it("jumps to the row's ends with Home and End", () => {
    expect(moveActive({ row: 1, col: 2 }, "Home", 3, 4)).toEqual({ row: 1, col: 0 });
    expect(moveActive({ row: 1, col: 2 }, "End", 3, 4)).toEqual({ row: 1, col: 3 });
  });

  it("pulls a cell left outside a grid that shrank back inside it", () => {
    expect(moveActive({ row: 9, col: 9 }, "ArrowLeft", 3, 4)).toEqual({ row: 2, col: 2 });
  });

  it("has no active cell in an empty grid", () => {
    expect(moveActive({ row: 0, col: 0 }, "ArrowLeft", 0, 4)).toBeNull();
  });

  it("recognises only navigation keys", () => {
    expect(isGridKey("ArrowLeft")).toBe(true);
    expect(isGridKey("Enter")).toBe(false);
  });
});
