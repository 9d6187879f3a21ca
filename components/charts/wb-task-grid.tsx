/**
 * The W × B heatmap of a task set (the "task-grid" variant of ./wb-heatmap.tsx; an HTML table of
 * links, rendered on the server). Synthesized sets: one cell per grid cell, coloured by
 * built / requested, with the rejection reasons in the cell's tooltip (and the table
 * below). Imported sets have no grid: W × B-total counts, coloured by count.
 */
import Link from "next/link";
import { withParams } from "@/components/environment/ui";

export interface HeatCell {
  writes: number;
  evidence: number;
  built: number;
  requested: number | null;
  rejections?: Record<string, number>;
  note?: string;
}

function tone(c: HeatCell, max: number): string {
  if (c.requested !== null) {
    if (c.requested === 0) return "bg-zinc-100 text-zinc-400 dark:bg-zinc-800 dark:text-zinc-500";
    const r = c.built / c.requested;
    if (r >= 1) return "bg-emerald-500 text-white dark:bg-emerald-600";
    if (r >= 0.5) return "bg-amber-300 text-amber-950 dark:bg-amber-500 dark:text-amber-950";
    if (r > 0) return "bg-orange-400 text-orange-950 dark:bg-orange-500";
    return "bg-red-500 text-white dark:bg-red-600";
  }
  const r = max ? c.built / max : 0;
  if (r > 0.66) return "bg-indigo-600 text-white";
  if (r > 0.33) return "bg-indigo-400 text-white dark:bg-indigo-500";
  if (r > 0) return "bg-indigo-200 text-indigo-950 dark:bg-indigo-800 dark:text-indigo-100";
  return "bg-zinc-100 text-zinc-400 dark:bg-zinc-800 dark:text-zinc-500";
}

export function topReasons(r: Record<string, number> | undefined, n = 50): [string, number][] {
  return Object.entries(r ?? {})
    .filter(([k]) => k !== "not_built")
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, n);
}

function tooltip(c: HeatCell, axis: string): string {
  const head = `W=${c.writes}, ${axis}=${c.evidence}: ${c.requested !== null ? `${c.built} of ${c.requested} built` : `${c.built} tasks`}`;
  const reasons = topReasons(c.rejections, 8).map(([k, v]) => `  ${k} ×${v}`);
  return [head, ...(reasons.length ? ["rejections:", ...reasons] : []), ...(c.note ? [c.note] : [])].join("\n");
}

export interface WBTaskGridProps {
  cells: HeatCell[];
  setId: number;
  axis: "B" | "B-total";
}

export function WBTaskGrid({ cells, setId, axis }: WBTaskGridProps) {
  const ws = [...new Set(cells.map((c) => c.writes))].sort((a, b) => a - b);
  const bs = [...new Set(cells.map((c) => c.evidence))].sort((a, b) => a - b);
  const byKey = new Map(cells.map((c) => [`${c.writes}x${c.evidence}`, c]));
  const max = Math.max(0, ...cells.map((c) => c.built));
  const filterKey = axis === "B" ? "b" : "bt";
  return (
    <div className="overflow-x-auto">
      <table className="border-separate border-spacing-1 text-sm" data-testid="wb-heatmap">
        <thead>
          <tr>
            <th className="px-1 text-left text-xs font-medium text-zinc-500">W \ {axis}</th>
            {bs.map((b) => (
              <th key={b} className="min-w-16 text-center text-xs font-semibold text-zinc-600 tabular-nums dark:text-zinc-400">
                {b}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {ws.map((w) => (
            <tr key={w}>
              <th className="pr-2 text-left text-xs font-semibold text-zinc-600 tabular-nums dark:text-zinc-400">W={w}</th>
              {bs.map((b) => {
                const c = byKey.get(`${w}x${b}`);
                if (!c) return <td key={b} className="h-12 min-w-16 rounded-md bg-zinc-50 dark:bg-zinc-900" aria-hidden />;
                const rejected = topReasons(c.rejections).reduce((s, [, v]) => s + v, 0);
                return (
                  <td key={b} className="p-0">
                    <Link
                      href={withParams(`/tasks/${setId}`, { w, [filterKey]: b })}
                      title={tooltip(c, axis)}
                      data-testid="heatmap-cell"
                      data-cell={`${w}x${b}`}
                      className={"flex h-12 min-w-16 flex-col items-center justify-center rounded-md px-2 tabular-nums transition hover:ring-2 hover:ring-indigo-400 " + tone(c, max)}
                    >
                      <span className="text-sm font-semibold">{c.requested !== null ? `${c.built}/${c.requested}` : c.built}</span>
                      {rejected ? <span className="text-[10px] opacity-80">{rejected} rej.</span> : null}
                    </Link>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
