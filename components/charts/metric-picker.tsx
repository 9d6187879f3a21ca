/**
 * The one-of-n metric switch above a W × B heatmap (a radiogroup of small buttons, plus optional
 * extra controls such as the compare view's tier select).
 */
import type { ReactNode } from "react";

export interface MetricPickerProps<K extends string> {
  /** Shown before the options ("Per-cell metric:"). */
  lead: string;
  ariaLabel: string;
  options: readonly K[];
  labelOf: (key: K) => string;
  value: K;
  onChange: (key: K) => void;
  /** Controls after the options. */
  extra?: ReactNode;
}

export function MetricPicker<K extends string>({ lead, ariaLabel, options, labelOf, value, onChange, extra }: MetricPickerProps<K>) {
  return (
    <div className="flex flex-wrap items-center gap-1 text-xs" role="radiogroup" aria-label={ariaLabel}>
      <span className="mr-1 text-zinc-600 dark:text-zinc-400">{lead}</span>
      {options.map((k) => (
        <button
          key={k}
          type="button"
          role="radio"
          aria-checked={value === k}
          onClick={() => onChange(k)}
          className={
            "rounded-md px-2 py-1 font-medium " +
            (value === k ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900" : "text-zinc-700 hover:bg-zinc-200 dark:text-zinc-300 dark:hover:bg-zinc-800")
          }
        >
          {labelOf(k)}
        </button>
      ))}
      {extra}
    </div>
  );
}
