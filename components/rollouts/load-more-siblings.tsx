"use client";

/** In the header of a sibling whose messages are not loaded yet: loads the next columns when it scrolls into view (or on click). */
import { useEffect, useRef } from "react";

export function LoadSiblingsOnView({ loading, onMore }: { loading: boolean; onMore: () => void }) {
  const ref = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && onMore(), { rootMargin: "0px 600px" });
    io.observe(el);
    return () => io.disconnect();
  }, [onMore]);
  return (
    <button
      ref={ref}
      type="button"
      onClick={onMore}
      disabled={loading}
      data-testid="load-more-siblings"
      className="mt-1 w-full rounded border border-dashed border-zinc-300 py-1 text-[11px] text-zinc-600 hover:bg-zinc-50 disabled:cursor-wait dark:border-zinc-700 dark:text-zinc-400 dark:hover:bg-zinc-800"
    >
      {loading ? "Loading messages…" : "Load this sibling's messages"}
    </button>
  );
}
