"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { clampSelection } from "./align-turns";

export interface GridSelection {
  turn: number;
  sibling: number;
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
      if (!move) return;
      e.preventDefault();
      setSel((s) => {
        const next = clampSelection(s.turn + move[0], s.sibling + move[1], size.current.rows, size.current.cols);
        return next.turn === s.turn && next.sibling === s.sibling ? s : next;
      });
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

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
