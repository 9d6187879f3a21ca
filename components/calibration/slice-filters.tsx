"use client";

/** W, B and behaviour filters (AND across kinds, OR within one); they apply to every chart. */
import type { SliceFilters } from "@/lib/calibration/url-state";

function Chips<T extends string | number>({
  label,
  options,
  selected,
  onChange,
  format = String,
  testId,
}: {
  label: string;
  options: T[];
  selected: T[];
  onChange: (next: T[]) => void;
  format?: (v: T) => string;
  testId: string;
}) {
  if (options.length === 0) return null;
  return (
    <div className="flex flex-wrap items-center gap-1" role="group" aria-label={label} data-testid={testId}>
      <span className="mr-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">{label}</span>
      {options.map((o) => {
        const on = selected.includes(o);
        return (
          <button
            key={String(o)}
            type="button"
            aria-pressed={on}
            onClick={() => onChange(on ? selected.filter((x) => x !== o) : [...selected, o])}
            className={
              "h-6 rounded-full px-2 text-xs font-medium ring-1 ring-inset " +
              (on
                ? "bg-indigo-600 text-white ring-indigo-600"
                : "bg-white text-zinc-700 ring-zinc-300 hover:bg-zinc-100 dark:bg-zinc-900 dark:text-zinc-300 dark:ring-zinc-700 dark:hover:bg-zinc-800")
            }
          >
            {format(o)}
          </button>
        );
      })}
    </div>
  );
}

export function SliceFiltersBar({
  slice,
  options,
  onChange,
}: {
  slice: SliceFilters;
  options: { w: number[]; b: number[]; behavior: string[] };
  onChange: (s: SliceFilters) => void;
}) {
  const active = slice.w.length + slice.b.length + slice.behavior.length > 0;
  const unknown = (v: number) => (v < 0 ? "?" : String(v));
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-2" data-testid="slice-filters">
      <Chips label="W" options={options.w} selected={slice.w} onChange={(w) => onChange({ ...slice, w: [...w].sort((a, b) => a - b) })} format={unknown} testId="slice-w" />
      <Chips label="B" options={options.b} selected={slice.b} onChange={(b) => onChange({ ...slice, b: [...b].sort((a, b) => a - b) })} format={unknown} testId="slice-b" />
      <Chips
        label="behaviour"
        options={options.behavior}
        selected={slice.behavior}
        onChange={(behavior) => onChange({ ...slice, behavior: [...behavior].sort() })}
        testId="slice-behavior"
      />
      {active ? (
        <button type="button" onClick={() => onChange({ w: [], b: [], behavior: [] })} className="text-xs font-medium text-indigo-700 hover:underline dark:text-indigo-300">
          clear filters
        </button>
      ) : null}
    </div>
  );
}
