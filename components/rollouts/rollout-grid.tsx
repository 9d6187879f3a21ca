"use client";

/**
 * Sibling rollouts side by side: one column per rollout, one row per agent turn, so turn k
 * of every sibling sits on the same row. Rows and cells are memoised and receive only
 * whether (and where) they hold the selection, so moving the selection re-renders the two
 * rows involved rather than every cell (8 siblings × 40 turns stays instant).
 */
import Link from "next/link";
import { memo, useEffect, useMemo, useRef, type ReactNode } from "react";
import type { TierName } from "@/lib/rewards";
import type { PolicyViolationItem, RolloutDetail } from "@/lib/experiments/api-types";
import { alignTurns, rowCount, type AlignedTurn } from "./align-turns";
import { TurnCell } from "./turn-cell";
import type { CellAnnotation } from "./turn-annotation";
import { useGridSelection, type GridSelection, type JumpTargets } from "./use-grid-selection";

export interface RolloutGridProps {
  rollouts: readonly RolloutDetail[];
  initial: GridSelection;
  /** Writes the selection into the URL (stable function). */
  writeUrl: (sel: GridSelection, url: URL) => void;
  /** Header of each column (outcome badges, links). */
  renderHeader: (rollout: RolloutDetail, index: number, selected: boolean) => ReactNode;
  /** Per column: annotations keyed by the assistant message's index in the conversation. */
  annotations?: readonly (ReadonlyMap<number, CellAnnotation> | undefined)[];
  /** The tier the `t` key jumps through. */
  jumpTier?: TierName | null;
}

const COLUMN_MIN = "20rem";
const LABEL_COL = "4.5rem";

export function RolloutGrid({ rollouts, initial, writeUrl, renderHeader, annotations, jumpTier = null }: RolloutGridProps) {
  const aligned = useMemo(() => rollouts.map((r) => alignTurns(r.messages)), [rollouts]);
  // Policy violations are numbered from 0 = first agent turn; the grid's turn 1 is that turn.
  const violations = useMemo(
    () =>
      rollouts.map((r) => {
        const byTurn = new Map<number, PolicyViolationItem[]>();
        for (const v of r.policy_violations ?? []) {
          const k = v.turn + 1;
          byTurn.set(k, [...(byTurn.get(k) ?? []), v]);
        }
        return byTurn;
      }),
    [rollouts],
  );
  const rows = rowCount(aligned);
  const cols = rollouts.length;

  // Per-row arrays built once per data change, so unselected rows keep identical props.
  const rowData = useMemo(
    () =>
      Array.from({ length: rows }, (_, k) => ({
        turns: aligned.map((a) => a[k]),
        violations: violations.map((v) => v.get(k)),
        annotations: aligned.map((a, s) => {
          const at = a[k]?.messageIndex;
          return k > 0 && at != null ? annotations?.[s]?.get(at) : undefined;
        }),
      })),
    [aligned, violations, rows, annotations],
  );

  // Row-major cell lists the jump keys walk: t/T through the chosen tier, c/C through changed turns.
  const jumpLists = useMemo((): JumpTargets => {
    const tier: GridSelection[] = [];
    const change: GridSelection[] = [];
    rowData.forEach((row, k) =>
      row.annotations.forEach((a, s) => {
        if (!a) return;
        if (jumpTier && a.ann.tier === jumpTier) tier.push({ turn: k, sibling: s });
        if (a.change) change.push({ turn: k, sibling: s });
      }),
    );
    return { t: tier, c: change };
  }, [rowData, jumpTier]);
  const jumps = useRef<JumpTargets>(jumpLists);
  useEffect(() => {
    jumps.current = jumpLists;
  }, [jumpLists]);
  const { selection, select } = useGridSelection(initial, rows, cols, writeUrl, jumps);

  const template = `${LABEL_COL} repeat(${cols}, minmax(${COLUMN_MIN}, 1fr))`;
  const minWidth = `calc(${LABEL_COL} + ${cols} * ${COLUMN_MIN} + ${cols} * 0.5rem)`;

  return (
    <div
      className="max-h-[calc(100vh-14rem)] min-h-80 overflow-auto rounded-lg border border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-950"
      role="grid"
      aria-label="Sibling rollouts aligned by agent turn"
      aria-rowcount={rows + 1}
      aria-colcount={cols}
      data-testid="rollout-grid"
      data-grid-scroller=""
      data-selected-turn={selection.turn}
      data-selected-sibling={selection.sibling}
    >
      <div style={{ minWidth }}>
        <div
          role="row"
          data-grid-header=""
          className="sticky top-0 z-10 grid gap-2 border-b border-zinc-200 bg-white px-2 py-2 dark:border-zinc-800 dark:bg-zinc-900"
          style={{ gridTemplateColumns: template }}
        >
          <div className="sticky left-0 z-[11] -mx-2 flex items-end self-stretch bg-white px-2 text-[11px] font-medium text-zinc-500 uppercase dark:bg-zinc-900 dark:text-zinc-400">
            turn
          </div>
          {rollouts.map((r, i) => (
            <div
              key={r.id}
              role="columnheader"
              data-testid={`sibling-header-${i}`}
              className={"min-w-0 rounded-md p-1.5 " + (i === selection.sibling ? "bg-indigo-50 ring-1 ring-indigo-300 dark:bg-indigo-950/50 dark:ring-indigo-800" : "")}
            >
              {renderHeader(r, i, i === selection.sibling)}
            </div>
          ))}
        </div>
        <div className="space-y-2 p-2">
          {rowData.map((row, k) => (
            <TurnRow
              key={k}
              k={k}
              template={template}
              turns={row.turns}
              violations={row.violations}
              annotations={row.annotations}
              selectedSibling={k === selection.turn ? selection.sibling : null}
              onSelect={select}
            />
          ))}
        </div>
      </div>
    </div>
  );
}

const TurnRow = memo(function TurnRow({
  k,
  template,
  turns,
  violations,
  annotations,
  selectedSibling,
  onSelect,
}: {
  k: number;
  template: string;
  turns: readonly (AlignedTurn | undefined)[];
  violations: readonly (PolicyViolationItem[] | undefined)[];
  annotations: readonly (CellAnnotation | undefined)[];
  selectedSibling: number | null;
  onSelect: (turn: number, sibling: number) => void;
}) {
  const selectedRow = selectedSibling !== null;
  return (
    <div
      role="row"
      aria-rowindex={k + 2}
      // Off-screen rows skip layout and paint; a selection change then lays out only what is visible.
      // Hover/focus lifts the containment so a turn's reason tooltip may overflow the row.
      className="grid items-start gap-2 [contain-intrinsic-size:auto_12rem] [content-visibility:auto] focus-within:[content-visibility:visible] hover:[content-visibility:visible]"
      style={{ gridTemplateColumns: template }}
      data-testid={`turn-row-${k}`}
    >
      {/* An opaque sticky strip (covering the gaps too), so cells scrolled sideways pass under it. */}
      <div role="rowheader" className="sticky left-0 z-[5] -mx-2 self-stretch bg-zinc-50 px-2 dark:bg-zinc-950">
        <span
          className={
            "block rounded-md px-1.5 py-1 text-xs font-medium tabular-nums " +
            (selectedRow ? "bg-indigo-600 text-white" : "text-zinc-500 dark:text-zinc-400")
          }
        >
          {k === 0 ? "opening" : `turn ${k}`}
        </span>
      </div>
      {turns.map((turn, s) => (
        <TurnCell key={s} k={k} sibling={s} turn={turn} violations={violations[s]} annotation={annotations[s]} selected={selectedSibling === s} onSelect={onSelect} />
      ))}
    </div>
  );
});

/** Link to a rollout page at a given turn. */
export function RolloutLink({ experimentId, rolloutId, turn, query, children }: { experimentId: number; rolloutId: string; turn?: number; query?: string; children: ReactNode }) {
  const q = [turn !== undefined ? `turn=${turn}` : "", query ?? ""].filter(Boolean).join("&");
  const href = `/experiments/${experimentId}/rollouts/${encodeURIComponent(rolloutId)}${q ? `?${q}` : ""}`;
  return (
    <Link href={href} className="text-xs font-medium text-indigo-700 hover:underline dark:text-indigo-300">
      {children}
    </Link>
  );
}
