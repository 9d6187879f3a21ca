/** Small presentational pieces shared by the Environment and Tasks pages (server-safe). */
import Link from "next/link";
import type { ReactNode } from "react";

export const th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400";
export const td = "px-3 py-2 align-top";
export const linkClass = "font-medium text-indigo-700 hover:underline dark:text-indigo-400";
export const inputClass =
  "h-9 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100";
export const labelClass = "flex flex-col gap-1 text-xs font-medium text-zinc-600 dark:text-zinc-400";

export function Table({ head, children, minWidth = 640 }: { head: ReactNode; children: ReactNode; minWidth?: number }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full border-collapse text-sm" style={{ minWidth }}>
        <thead className="border-b border-zinc-200 bg-zinc-50/80 dark:border-zinc-800 dark:bg-zinc-900/60">
          <tr>{head}</tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">{children}</tbody>
      </table>
    </div>
  );
}

/** Formatted JSON, as text (never HTML). */
export function JsonBlock({ value, label }: { value: unknown; label?: string }) {
  return (
    <pre
      aria-label={label}
      className="max-h-[32rem] overflow-auto rounded-md border border-zinc-200 bg-zinc-50 p-3 font-mono text-xs leading-relaxed text-zinc-800 dark:border-zinc-800 dark:bg-zinc-950 dark:text-zinc-200"
    >
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="mt-0.5 break-words text-sm">{children}</dd>
    </div>
  );
}

export function SectionTitle({ children, aside }: { children: ReactNode; aside?: ReactNode }) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-2 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
      <h2 className="text-sm font-semibold">{children}</h2>
      {aside ? <div className="text-xs text-zinc-500 dark:text-zinc-400">{aside}</div> : null}
    </div>
  );
}

/** Previous / next links that keep every other search param. */
export function Pager({
  page,
  pageCount,
  total,
  href,
}: {
  page: number;
  pageCount: number;
  total: number;
  href: (page: number) => string;
}) {
  const btn = "rounded-md border border-zinc-300 px-2.5 py-1 text-xs font-medium dark:border-zinc-700";
  return (
    <nav aria-label="Pagination" className="flex items-center justify-between gap-3 border-t border-zinc-200 px-4 py-2.5 text-xs text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
      <span className="tabular-nums">
        {total.toLocaleString("en-US")} result{total === 1 ? "" : "s"} · page {page} of {pageCount}
      </span>
      <span className="flex gap-2">
        {page > 1 ? (
          <Link className={btn + " hover:bg-zinc-100 dark:hover:bg-zinc-800"} href={href(page - 1)}>
            ← Previous
          </Link>
        ) : (
          <span className={btn + " opacity-40"}>← Previous</span>
        )}
        {page < pageCount ? (
          <Link className={btn + " hover:bg-zinc-100 dark:hover:bg-zinc-800"} href={href(page + 1)}>
            Next →
          </Link>
        ) : (
          <span className={btn + " opacity-40"}>Next →</span>
        )}
      </span>
    </nav>
  );
}

/** Build "/path?a=1&b=2" from params, dropping empty values. */
export function withParams(path: string, params: Record<string, string | number | undefined | null>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && String(v) !== "") sp.set(k, String(v));
  const s = sp.toString();
  return s ? `${path}?${s}` : path;
}

/** First value of a Next.js searchParams entry. */
export function firstParam(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export function money(n: number): string {
  return `$${n.toLocaleString("en-US", { maximumFractionDigits: 2 })}`;
}

/** Route params may arrive percent-encoded; ids never contain "%", so decoding is safe (and a bad escape is kept as is). */
export function decodeParam(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}
