"use client";

/**
 * "Copy link": the current view's URL, shortened through POST /api/views (→ /v/<id>) when it is
 * long. The link is always shown in a read-only field too, so it can be copied by hand where the
 * clipboard API is unavailable (plain http, denied permission).
 */
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { createViewRequest } from "@/lib/api-client/calibration";
import { SHORT_LINK_THRESHOLD } from "@/lib/calibration/url-state";

export function ShareButton({ path, query }: { path: string; query: string }) {
  // The link is shown only while the view is still the one it was made for.
  const [made, setMade] = useState<{ link: string; for: string } | null>(null);
  const link = made && made.for === `${path}?${query}` ? made.link : null;
  const [status, setStatus] = useState<"idle" | "working" | "copied" | "manual" | "error">("idle");
  const [error, setError] = useState<string | null>(null);

  async function copy() {
    setStatus("working");
    setError(null);
    const origin = window.location.origin;
    let url = `${origin}${path}${query ? `?${query}` : ""}`;
    if (url.length > SHORT_LINK_THRESHOLD) {
      try {
        const view = await createViewRequest(path, query);
        url = view.url.startsWith("/") ? `${origin}${view.url}` : view.url;
      } catch (e) {
        // The long link still works; say why it is not short.
        setError(`short link unavailable: ${(e as Error).message}`);
      }
    }
    setMade({ link: url, for: `${path}?${query}` });
    try {
      if (!navigator.clipboard) throw new Error("no clipboard");
      await navigator.clipboard.writeText(url);
      setStatus("copied");
    } catch {
      setStatus("manual");
    }
  }

  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button size="sm" onClick={copy} disabled={status === "working"} data-testid="copy-link">
        {link && status === "copied" ? "Copied ✓" : status === "working" ? "Linking…" : "Copy link"}
      </Button>
      {link ? (
        <input
          readOnly
          value={link}
          data-testid="share-link-text"
          aria-label="Link to this view"
          onFocus={(e) => e.currentTarget.select()}
          className="h-7 w-64 rounded-md border border-zinc-300 bg-zinc-50 px-2 font-mono text-xs text-zinc-800 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-200"
        />
      ) : null}
      {link && status === "manual" ? <span className="text-xs text-amber-700 dark:text-amber-400">Clipboard blocked — copy the text.</span> : null}
      {error ? <span className="text-xs text-amber-700 dark:text-amber-400">{error}</span> : null}
    </div>
  );
}
