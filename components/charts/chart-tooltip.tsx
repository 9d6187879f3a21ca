import type { ReactNode } from "react";

/** The box every chart tooltip renders in (HTML, so it follows the theme through Tailwind). */
export function ChartTooltipBox({ title, rows }: { title: ReactNode; rows: { label: string; value: ReactNode; color?: string }[] }) {
  return (
    <div className="rounded-md border border-zinc-200 bg-white px-2.5 py-2 text-xs text-zinc-700 shadow-md dark:border-zinc-700 dark:bg-zinc-800 dark:text-zinc-200">
      <div className="mb-1 font-semibold text-zinc-900 dark:text-zinc-50">{title}</div>
      {rows.map((r) => (
        <div key={r.label} className="flex items-center justify-between gap-4">
          <span className="inline-flex items-center gap-1.5">
            {r.color ? <span className="h-2 w-2 rounded-sm" style={{ background: r.color }} aria-hidden /> : null}
            {r.label}
          </span>
          <span className="font-mono tabular-nums">{r.value}</span>
        </div>
      ))}
    </div>
  );
}

/** Mid-tone series colours that read on white and on near-black backgrounds. */
export const SERIES_COLORS = {
  primary: "#6366f1",
  secondary: "#10b981",
  warning: "#f59e0b",
  danger: "#ef4444",
} as const;

/** Axis styling shared by the recharts charts: ticks and labels in the frame's text colour. */
export const axisTick = { fill: "currentColor", fontSize: 11 } as const;
export const axisLine = { stroke: "currentColor", strokeOpacity: 0.35 } as const;
export const gridStroke = { stroke: "currentColor", strokeOpacity: 0.12 } as const;
