"use client";

import { useState } from "react";
import { formatJson } from "./align-turns";

const pre =
  "max-h-96 overflow-auto rounded-md bg-zinc-50 p-2 font-mono text-[11px] leading-snug break-words whitespace-pre-wrap text-zinc-800 ring-1 ring-zinc-200 ring-inset dark:bg-zinc-950 dark:text-zinc-200 dark:ring-zinc-800";

/** Formatted JSON as text (never parsed into HTML). */
export function JsonBlock({ value, testId }: { value: unknown; testId?: string }) {
  return (
    <pre className={pre} data-testid={testId}>
      {formatJson(value)}
    </pre>
  );
}

/**
 * A collapsible JSON block, collapsed by default. The body is formatted and mounted only
 * when opened: a group view holds hundreds of tool results and most are never read.
 */
export function CollapsibleJson({
  summary,
  value,
  tone = "neutral",
  testId,
}: {
  summary: string;
  value: unknown;
  tone?: "neutral" | "error";
  testId?: string;
}) {
  const [open, setOpen] = useState(false);
  const size = typeof value === "string" ? value.length : undefined;
  return (
    <details
      className="group/json"
      data-testid={testId}
      open={open}
      onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}
    >
      <summary
        className={
          "cursor-pointer list-none text-xs select-none hover:underline " +
          (tone === "error" ? "text-red-700 dark:text-red-400" : "text-zinc-500 dark:text-zinc-400")
        }
      >
        <span className="inline-block w-3 transition-transform group-open/json:rotate-90" aria-hidden>
          ▸
        </span>
        {summary}
        {size !== undefined ? <span className="ml-1 opacity-70">({size.toLocaleString("en-US")} chars)</span> : null}
      </summary>
      {open ? <div className="mt-1">{<JsonBlock value={value} />}</div> : null}
    </details>
  );
}
