import Link from "next/link";
import { memo } from "react";
import { RolloutStrip } from "@/components/rollouts/rollout-strip";
import type { SearchRow as Row } from "@/lib/search/search";
import { Snippet } from "./snippet";

/** Fixed row height: the virtualised list positions rows by index without measuring them. */
export const SEARCH_ROW_HEIGHT = 112;

const roleLabel = { assistant: "agent", user: "user", tool: "tool" } as const;

/**
 * One rollout of the results: identity and outcome, the matched message's snippet, the strip of its turns.
 * Memoised on the row object (query data, never mutated): a row staying in view while the list scrolls is not re-rendered.
 */
export const SearchRow = memo(function SearchRow({ row }: { row: Row }) {
  return (
    <div className="grid h-full grid-cols-[minmax(0,1fr)_300px] gap-4 border-b border-zinc-100 px-3 py-2 dark:border-zinc-800" data-testid="search-row" data-rollout={row.rollout_id}>
      <div className="min-w-0 space-y-1">
        <div className="flex flex-wrap items-baseline gap-x-3 text-xs text-zinc-600 dark:text-zinc-400">
          {/* No prefetch: each row scrolled into view would prefetch its group page, the main cost of long frames while scrolling 100,000 results (bench/search-scroll.ts). */}
          <Link href={row.href} prefetch={false} className="font-mono text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300" data-testid="search-row-link">
            {row.rollout_id}
          </Link>
          <span>
            task <span className="font-mono">{row.task_id}</span> · sample {row.sample_index}
          </span>
          <span className={row.outcome === 1 ? "font-medium text-emerald-700 dark:text-emerald-400" : row.outcome === 0 ? "font-medium text-red-700 dark:text-red-400" : ""}>
            {row.outcome === 1 ? "pass" : row.outcome === 0 ? "fail" : "running"}
          </span>
          {row.termination ? <span>{row.termination}</span> : null}
          <span>{row.turns} turns</span>
          {row.w !== null ? <span>W{row.w} × B{row.b ?? "—"}</span> : null}
          {row.step !== null ? <span>step {row.step}</span> : null}
          {row.preset ? <span>{row.preset}</span> : row.agent ? <span className="truncate">{row.agent}</span> : null}
          {row.hits > 0 ? <span>{row.hits} matching message{row.hits === 1 ? "" : "s"}</span> : null}
        </div>
        {row.match ? (
          <p className="line-clamp-3 text-sm break-words whitespace-pre-wrap text-zinc-800 dark:text-zinc-200" data-testid="search-snippet">
            <span className="mr-1.5 rounded bg-zinc-100 px-1 py-px font-mono text-[10px] text-zinc-600 uppercase dark:bg-zinc-800 dark:text-zinc-400">
              {roleLabel[row.match.role]}
              {row.match.turn === null ? "" : row.match.role === "assistant" ? ` · turn ${row.match.turn + 1}` : ` · after turn ${row.match.turn + 1}`}
            </span>
            <Snippet parts={row.match.parts} />
          </p>
        ) : (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">No text query: every rollout matching the filters.</p>
        )}
      </div>
      <RolloutStrip annotation={row.strip} />
    </div>
  );
});

/** A slot whose page has not arrived yet; memoised (no props), so it costs nothing while it stays in view. */
export const SearchRowPlaceholder = memo(function SearchRowPlaceholder() {
  return (
    <div className="grid h-full grid-cols-[minmax(0,1fr)_300px] gap-4 border-b border-zinc-100 px-3 py-2 dark:border-zinc-800" aria-hidden="true">
      <div className="space-y-2">
        <div className="h-3 w-2/3 animate-pulse rounded bg-zinc-100 dark:bg-zinc-800" />
        <div className="h-3 w-full animate-pulse rounded bg-zinc-100 dark:bg-zinc-800" />
      </div>
      <div className="h-[58px] animate-pulse rounded bg-zinc-100 dark:bg-zinc-800" />
    </div>
  );
});
