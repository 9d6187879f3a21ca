import type { ReactNode } from "react";

/**
 * Title, optional subtitle and legend around a chart. The frame sets the text colour the
 * charts draw their axes and ticks with (`currentColor`), so they follow the theme.
 */
export function ChartFrame({
  title,
  description,
  legend,
  children,
  className = "",
  testId,
}: {
  title: string;
  description?: ReactNode;
  legend?: ReactNode;
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  return (
    <figure
      data-testid={testId}
      className={
        "rounded-lg border border-zinc-200 bg-white p-4 text-zinc-600 shadow-sm dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400 " +
        className
      }
    >
      <figcaption className="mb-3 flex flex-wrap items-start justify-between gap-2">
        <div>
          <div className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">{title}</div>
          {description ? <div className="mt-0.5 text-xs">{description}</div> : null}
        </div>
        {legend ? <div className="text-xs">{legend}</div> : null}
      </figcaption>
      {children}
    </figure>
  );
}

/** A swatch and label for a chart legend. */
export function LegendItem({ color, label }: { color: string; label: string }) {
  return (
    <span className="inline-flex items-center gap-1.5">
      <span className="h-2.5 w-2.5 rounded-sm" style={{ background: color }} aria-hidden />
      {label}
    </span>
  );
}

/** Placeholder inside a frame when a series has no points. */
export function ChartEmpty({ children = "No data yet" }: { children?: ReactNode }) {
  return (
    <div className="grid h-40 place-items-center rounded-md border border-dashed border-zinc-200 text-xs dark:border-zinc-800">
      {children}
    </div>
  );
}
