"use client";

/**
 * A number input that keeps the user's draft text ("-", "0.") while typing and reports a value
 * only when the text parses to a finite number within bounds; it resyncs when the value changes
 * from outside (a slider, "Apply suggestion", loading an iteration).
 */
import { useState } from "react";

export function NumberField({
  value,
  onChange,
  min,
  max,
  step = "any",
  integer = false,
  allowEmpty = false,
  placeholder,
  label,
  testId,
  className = "",
  disabled,
}: {
  value: number | null;
  onChange: (v: number | null) => void;
  min?: number;
  max?: number;
  step?: number | "any";
  integer?: boolean;
  /** Empty text means null (e.g. "no window"). */
  allowEmpty?: boolean;
  placeholder?: string;
  label: string;
  testId?: string;
  className?: string;
  disabled?: boolean;
}) {
  const shown = value === null ? "" : String(value);
  const [draft, setDraft] = useState<{ text: string; base: string } | null>(null);
  // A draft is only valid for the value it was typed against.
  const text = draft && draft.base === shown ? draft.text : shown;
  const invalid = draft !== null && draft.base === shown && draft.text !== shown;
  return (
    <input
      type="number"
      inputMode="decimal"
      aria-label={label}
      data-testid={testId}
      value={text}
      min={min}
      max={max}
      step={step}
      placeholder={placeholder}
      disabled={disabled}
      onChange={(e) => {
        const t = e.target.value;
        if (t.trim() === "") {
          if (allowEmpty) {
            setDraft(null);
            onChange(null);
          } else setDraft({ text: t, base: shown });
          return;
        }
        const n = Number(t);
        const ok = Number.isFinite(n) && (!integer || Number.isInteger(n)) && (min === undefined || n >= min) && (max === undefined || n <= max);
        if (ok) {
          setDraft(null);
          onChange(n);
        } else setDraft({ text: t, base: shown });
      }}
      onBlur={() => setDraft(null)}
      className={
        "h-7 rounded-md border bg-white px-1.5 text-right font-mono text-xs tabular-nums text-zinc-900 outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 disabled:opacity-50 dark:bg-zinc-950 dark:text-zinc-100 " +
        (invalid ? "border-red-500 " : "border-zinc-300 dark:border-zinc-700 ") +
        className
      }
    />
  );
}
