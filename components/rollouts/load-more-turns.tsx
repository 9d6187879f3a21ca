"use client";

/** Below the group grid: loads the next turns when scrolled into view (or clicked), with the count loaded so far. */
import { useEffect, useRef } from "react";

export function LoadMoreTurns({ loadedTurns, totalTurns, loading, onMore }: { loadedTurns: number; totalTurns: number; loading: boolean; onMore: () => void }) {
  const ref = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && onMore(), { rootMargin: "400px 0px" });
    io.observe(el);
    return () => io.disconnect();
  }, [onMore]);
  return (
    <button
      ref={ref}
      type="button"
      onClick={onMore}
      disabled={loading}
      data-testid="load-more-turns"
      className="mt-2 w-full rounded-md border border-dashed border-zinc-300 py-2 text-xs text-zinc-600 hover:bg-zinc-50 disabled:cursor-wait dark:border-zinc-700 dark:text-zinc-400 dark:hover:bg-zinc-800"
    >
      {loading ? "Loading more turns…" : `Turns 0–${loadedTurns} of ${totalTurns} loaded: load more`}
    </button>
  );
}
