/**
 * Pure geometry and keyboard logic of the SVG heatmap (components/charts/heatmap.tsx), kept apart
 * so it can be tested without a DOM: where each cell sits and where
 * an arrow key moves the active cell.
 */

/** Fixed cell size: wide enough for "−0.12", "100%" or "12.3k" in 12 px monospace. */
export const CELL_W = 48;
export const CELL_H = 32;
export const GAP = 4;
/** Height of the column-label band above the cells. */
export const HEADER_H = 20;
/** Approximate advance of one 12 px sans-serif character, for sizing the row-label band. */
const LABEL_CHAR_W = 7;

export interface HeatmapLayout {
  /** Width of the row-label band left of the cells. */
  labelW: number;
  width: number;
  height: number;
  nRows: number;
  nCols: number;
}

export function heatmapLayout(rowLabels: readonly string[], nCols: number): HeatmapLayout {
  const longest = rowLabels.reduce((m, l) => Math.max(m, l.length), 0);
  const labelW = Math.max(24, Math.ceil(longest * LABEL_CHAR_W) + 8);
  const nRows = rowLabels.length;
  return {
    labelW,
    width: labelW + nCols * (CELL_W + GAP),
    height: HEADER_H + nRows * (CELL_H + GAP),
    nRows,
    nCols,
  };
}

/** Top-left corner of a cell (half a gap inside its slot, so gaps split evenly). */
export function cellOrigin(layout: HeatmapLayout, row: number, col: number): { x: number; y: number } {
  return { x: layout.labelW + col * (CELL_W + GAP) + GAP / 2, y: HEADER_H + row * (CELL_H + GAP) + GAP / 2 };
}

export type GridKey = "ArrowUp" | "ArrowDown" | "ArrowLeft" | "ArrowRight" | "Home" | "End";

const GRID_KEYS = new Set<string>(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End"]);

export function isGridKey(key: string): key is GridKey {
  return GRID_KEYS.has(key);
}

/**
 * The active cell after a navigation key, clamped to the grid (no wrapping, so holding a key
 * stops at the edge). With no active cell yet, any key starts at the top-left cell.
 * Home/End jump to the first/last column of the row, like a spreadsheet.
 */
export function moveActive(
  active: { row: number; col: number } | null,
  key: GridKey,
  nRows: number,
  nCols: number,
): { row: number; col: number } | null {
  if (nRows === 0 || nCols === 0) return null;
  if (!active) return { row: 0, col: 0 };
  const clampRow = (r: number) => Math.min(nRows - 1, Math.max(0, r));
  const clampCol = (c: number) => Math.min(nCols - 1, Math.max(0, c));
  const { row, col } = { row: clampRow(active.row), col: clampCol(active.col) };
  switch (key) {
    case "ArrowUp":
      return { row: clampRow(row - 1), col };
    case "ArrowDown":
      return { row: clampRow(row + 1), col };
    case "ArrowLeft":
      return { row, col: clampCol(col - 1) };
    case "ArrowRight":
      return { row, col: clampCol(col + 1) };
    case "Home":
      return { row, col: 0 };
    case "End":
      return { row, col: nCols - 1 };
  }
}
