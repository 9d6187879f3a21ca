"use client";

/** The experiment page's "Compare with…" menu: the compare picker with this experiment as side A. */
import { ComparePicker } from "./compare-picker";

export function CompareMenu({ experimentId }: { experimentId: number }) {
  return (
    <details className="group relative" data-testid="compare-menu">
      <summary className="inline-flex h-9 cursor-pointer list-none items-center rounded-md border border-indigo-600 px-3.5 text-sm font-medium text-indigo-700 hover:bg-indigo-50 dark:text-indigo-300 dark:hover:bg-indigo-950">
        Compare with…
      </summary>
      <div className="absolute right-0 z-20 mt-1 w-max max-w-[90vw] rounded-lg border border-zinc-200 bg-white p-3 shadow-lg dark:border-zinc-800 dark:bg-zinc-900">
        <ComparePicker initial={{ a: experimentId, b: null }} fixedA compact />
      </div>
    </details>
  );
}
