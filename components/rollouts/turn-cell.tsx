"use client";

import { memo, useEffect, useRef } from "react";
import { Badge } from "@/components/ui/badge";
import type { PolicyViolationItem } from "@/lib/experiments/api-types";
import type { AlignedTurn } from "./align-turns";
import { resultsByCallId } from "./align-turns";
import { CollapsibleJson, JsonBlock } from "./json-block";
import { PlainText } from "./plain-text";
import { TurnAnnotationBar, type CellAnnotation } from "./turn-annotation";

export interface TurnCellProps {
  k: number;
  sibling: number;
  /** Undefined when this sibling's conversation ended before turn k. */
  turn: AlignedTurn | undefined;
  violations: readonly PolicyViolationItem[] | undefined;
  selected: boolean;
  onSelect: (turn: number, sibling: number) => void;
  /** Tier, reward, advantage (and change) under the browser's config; absent for the opening and unscored turns. */
  annotation?: CellAnnotation;
}

/** One sibling's turn k. Memoised: a selection change re-renders only the two cells involved. */
export const TurnCell = memo(function TurnCell({ k, sibling, turn, violations, selected, onSelect, annotation }: TurnCellProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (selected && ref.current && !isFullyVisible(ref.current)) ref.current.scrollIntoView({ block: "nearest", inline: "nearest" });
  }, [selected]);

  return (
    <div
      ref={ref}
      role="gridcell"
      aria-selected={selected}
      data-testid={`turn-cell-${k}-${sibling}`}
      data-selected={selected ? "true" : undefined}
      data-turn={annotation?.ann.turn}
      data-tier={annotation?.ann.tier}
      data-reward={annotation?.ann.reward}
      data-advantage={annotation?.ann.advantage}
      data-changed={annotation?.change ? annotation.change.kinds.join(" ") : undefined}
      onClick={() => onSelect(k, sibling)}
      className={
        "min-w-0 scroll-m-2 scroll-mt-28 scroll-ml-24 rounded-md border p-2.5 " +
        (selected
          ? "border-indigo-500 bg-indigo-50/60 ring-2 ring-indigo-500 dark:border-indigo-400 dark:bg-indigo-950/40 dark:ring-indigo-400"
          : annotation?.change
            ? "border-amber-400 bg-white ring-1 ring-amber-300 dark:border-amber-700 dark:bg-zinc-900 dark:ring-amber-800"
            : turn
            ? "border-zinc-200 bg-white hover:border-zinc-300 dark:border-zinc-800 dark:bg-zinc-900 dark:hover:border-zinc-700"
            : "border-dashed border-zinc-200 bg-transparent dark:border-zinc-800")
      }
    >
      {annotation ? <TurnAnnotationBar a={annotation} selected={selected} /> : null}
      {turn ? <TurnBody turn={turn} violations={violations} /> : <div className="py-2 text-center text-xs text-zinc-400 dark:text-zinc-600">ended</div>}
    </div>
  );
});

/**
 * Whether the cell is entirely visible inside the grid's scroll area (below its sticky
 * header, right of the sticky turn labels) and the window. Scrolling only when it is not
 * keeps a move between visible cells free of a scroll (and its repaint).
 */
function isFullyVisible(el: HTMLElement): boolean {
  const scroller = el.closest<HTMLElement>("[data-grid-scroller]");
  if (!scroller) return false;
  const box = scroller.getBoundingClientRect();
  const header = scroller.querySelector("[data-grid-header]")?.getBoundingClientRect().height ?? 0;
  const label = el.parentElement?.firstElementChild?.getBoundingClientRect().width ?? 0;
  const r = el.getBoundingClientRect();
  return (
    r.top >= Math.max(box.top + header, 0) &&
    r.bottom <= Math.min(box.bottom, window.innerHeight) &&
    r.left >= Math.max(box.left + label, 0) &&
    r.right <= Math.min(box.right, window.innerWidth)
  );
}

function TurnBody({ turn, violations }: { turn: AlignedTurn; violations: readonly PolicyViolationItem[] | undefined }) {
  const a = turn.assistant;
  const results = resultsByCallId(turn);
  const calls = a?.tool_calls ?? [];
  const callIds = new Set(calls.map((c) => c.id));
  const orphanResults = turn.toolResults.filter((r) => !callIds.has(r.tool_call_id));
  const tokens = a?.usage ? a.usage.prompt_tokens + a.usage.completion_tokens : null;

  return (
    <div className="space-y-2">
      {a ? (
        <div>
          <div className="mb-1 flex items-center justify-between gap-2 text-[11px] font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
            <span>{turn.k === 0 ? "greeting" : "assistant"}</span>
            {tokens !== null ? <span className="font-mono normal-case tabular-nums">{tokens.toLocaleString("en-US")} tok</span> : null}
          </div>
          {a.content ? <PlainText text={a.content} testId="assistant-text" /> : null}
          {a.error ? <div className="mt-1 text-xs break-words text-red-700 dark:text-red-400">driver error: {a.error}</div> : null}
        </div>
      ) : null}

      {calls.map((call) => {
        const result = results.get(call.id);
        const invalidArgs = typeof call.arguments === "string";
        return (
          <div key={call.id} className="space-y-1 rounded-md border border-zinc-200 p-1.5 dark:border-zinc-800" data-testid="tool-call">
            <div className="flex flex-wrap items-center gap-1.5">
              <span className="font-mono text-xs font-semibold text-indigo-700 dark:text-indigo-300">{call.name}</span>
              {invalidArgs ? <Badge tone="red">invalid JSON args</Badge> : null}
              {result?.error ? <Badge tone="red">tool error</Badge> : null}
            </div>
            <JsonBlock value={call.arguments} testId="tool-args" />
            {result ? (
              <CollapsibleJson summary={result.error ? "error result" : "result"} value={result.content} tone={result.error ? "error" : "neutral"} testId="tool-result" />
            ) : (
              <div className="text-xs text-zinc-400">no result</div>
            )}
          </div>
        );
      })}
      {orphanResults.map((r, i) => (
        <CollapsibleJson key={`orphan-${i}`} summary={`result for unknown call ${r.tool_call_id}`} value={r.content} tone={r.error ? "error" : "neutral"} testId="tool-result" />
      ))}

      {violations?.length ? (
        <div className="flex flex-wrap gap-1">
          {violations.map((v, i) => (
            <span key={i} title={v.message}>
              <Badge tone="red">policy: {v.rule}</Badge>
            </span>
          ))}
        </div>
      ) : null}

      {turn.userReplies.map((u, i) => (
        <div key={i} className="rounded-md bg-sky-50 p-2 ring-1 ring-sky-200 ring-inset dark:bg-sky-950/40 dark:ring-sky-900">
          <div className="mb-0.5 text-[11px] font-medium tracking-wide text-sky-800 uppercase dark:text-sky-300">user</div>
          <PlainText text={u.content} testId="user-text" />
        </div>
      ))}
    </div>
  );
}
