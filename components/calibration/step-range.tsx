"use client";

/**
 * Training-step range of the workbench (URL state `steps=a-b`): every chart is computed over the
 * rollouts of those steps only. Inputs apply on Enter or when they lose focus; empty = all steps.
 */
import { useState } from "react";

export function StepRangeControl({
  steps,
  onChange,
}: {
  steps: [number, number] | null | undefined;
  onChange: (next: [number, number] | null) => void;
}) {
  const [from, setFrom] = useState(steps ? String(steps[0]) : "");
  const [to, setTo] = useState(steps ? String(steps[1]) : "");
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState(steps);
  if (shown !== steps) {
    // The range changed from outside (a link, "all steps"): show it.
    setShown(steps);
    setFrom(steps ? String(steps[0]) : "");
    setTo(steps ? String(steps[1]) : "");
  }
  const apply = () => {
    if (from.trim() === "" && to.trim() === "") {
      setError(null);
      if (steps) onChange(null);
      return;
    }
    const a = Number(from.trim() === "" ? to : from);
    const b = Number(to.trim() === "" ? from : to);
    if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < 0 || a > b) {
      setError("steps: whole numbers, from ≤ to");
      return;
    }
    setError(null);
    if (!steps || steps[0] !== a || steps[1] !== b) onChange([a, b]);
  };
  const input =
    "h-6 w-20 rounded border border-zinc-300 bg-white px-1.5 text-xs tabular-nums dark:border-zinc-700 dark:bg-zinc-900";
  return (
    <div className="flex flex-wrap items-center gap-1 text-xs" role="group" aria-label="training steps" data-testid="step-range">
      <span className="mr-1 font-medium text-zinc-600 dark:text-zinc-400">steps</span>
      <input
        aria-label="from step"
        inputMode="numeric"
        className={input}
        value={from}
        placeholder="first"
        onChange={(e) => setFrom(e.target.value)}
        onBlur={apply}
        onKeyDown={(e) => e.key === "Enter" && apply()}
      />
      <span aria-hidden>–</span>
      <input
        aria-label="to step"
        inputMode="numeric"
        className={input}
        value={to}
        placeholder="last"
        onChange={(e) => setTo(e.target.value)}
        onBlur={apply}
        onKeyDown={(e) => e.key === "Enter" && apply()}
      />
      {steps ? (
        <button type="button" onClick={() => onChange(null)} className="ml-1 font-medium text-indigo-700 hover:underline dark:text-indigo-300">
          all steps
        </button>
      ) : null}
      {error ? <span className="ml-1 text-red-700 dark:text-red-400" role="alert">{error}</span> : null}
    </div>
  );
}
