"use client";

import { useCallback, useEffect, useRef, useState, type RefObject } from "react";
import { clampSelection } from "./align-turns";

export interface GridSelection {
  turn: number;
  sibling: number;
}

/** Cells a jump key walks through, row-major (turn, then sibling); lower case = next, upper case = previous. */
export type JumpTargets = Partial<Record<string, readonly GridSelection[]>>;

/** The first target after (dir 1) or before (dir −1) the selection in row-major order, wrapping around. */
export function nextTarget(targets: readonly GridSelection[], from: GridSelection, dir: 1 | -1): GridSelection | null {
  if (!targets.length) return null;
  const cmp = (a: GridSelection) => (a.turn - from.turn) * 1e6 + (a.sibling - from.sibling);
  if (dir === 1) return targets.find((t) => cmp(t) > 0) ?? targets[0];
  for (let i = targets.length - 1; i >= 0; i--) if (cmp(targets[i]) < 0) return targets[i];
  return targets[targets.length - 1];
}

/** [turn delta, sibling delta] per key. */
const KEY_MOVES: Record<string, readonly [number, number] | undefined> = { j: [1, 0], k: [-1, 0], h: [0, -1], l: [0, 1] };

const URL_DELAY_MS = 120;

const isTyping = (t: EventTarget | null) =>
  t instanceof HTMLElement && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName));

/**
 * The selected (turn, sibling) of a rollout grid: j/k move down/up a turn, h/l left/right
 * a sibling. The selection is mirrored into the URL with history.replaceState (Next
 * integrates it with its router without a navigation), so a reload lands on the same cell.
 */
export function useGridSelection(
  initial: GridSelection,
  rows: number,
  cols: number,
  /** Must be stable (module-level or memoised): it runs whenever the selection changes. */
  writeUrl: (sel: GridSelection, url: URL) => void,
  /** Jump lists by key (t, c …), read at key time. */
  jumps?: RefObject<JumpTargets>,
) {
  const [sel, setSel] = useState(() => clampSelection(initial.turn, initial.sibling, rows, cols));
  const size = useRef({ rows, cols });

  useEffect(() => {
    size.current = { rows, cols };
  }, [rows, cols]);
  // Rows appear while a group is still running: the stored selection may lie outside the grid for a moment.
  const clamped = clampSelection(sel.turn, sel.sibling, rows, cols);
  const selection = clamped.turn === sel.turn && clamped.sibling === sel.sibling ? sel : clamped;

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.metaKey || e.ctrlKey || e.altKey || isTyping(e.target)) return;
      const move = KEY_MOVES[e.key];
      const lower = e.key.toLowerCase();
      const targets = jumps?.current[lower];
      if (!move && targets) {
        e.preventDefault();
        setSel((s) => nextTarget(targets, s, e.key === lower ? 1 : -1) ?? s);
        return;
      }
      if (!move) return;
      e.preventDefault();
      setSel((s) => {
        const next = clampSelection(s.turn + move[0], s.sibling + move[1], size.current.rows, size.current.cols);
        return next.turn === s.turn && next.sibling === s.sibling ? s : next;
      });
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [jumps]);

  // The URL follows the selection once a burst of key presses settles: replaceState makes
  // Next's router re-render, too costly to pay on every key when j is held down.
  const { turn, sibling } = selection;
  useEffect(() => {
    const write = () => {
      const url = new URL(window.location.href);
      writeUrl({ turn, sibling }, url);
      if (url.href !== window.location.href) window.history.replaceState(null, "", url.href);
    };
    const timer = window.setTimeout(write, URL_DELAY_MS);
    window.addEventListener("pagehide", write);
    return () => {
      window.clearTimeout(timer);
      window.removeEventListener("pagehide", write);
    };
  }, [turn, sibling, writeUrl]);

  const select = useCallback((turn: number, sibling: number) => {
    setSel((s) => {
      const next = clampSelection(turn, sibling, size.current.rows, size.current.cols);
      return next.turn === s.turn && next.sibling === s.sibling ? s : next;
    });
  }, []);

  return { selection, select };
}
