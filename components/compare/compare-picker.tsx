"use client";

/**
 * Picks the two sides of a comparison: an experiment each (same task set as the other side
 * preferred: the others are listed but marked), a step range for a training run, and opens
 * /compare with them. Used on the compare page and, with side A fixed, on the experiment page.
 */
import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { parseStepRange, formatStepRange } from "@/lib/analysis/timeline-steps";
import type { ExperimentSummary } from "@/lib/experiments/api-types";
import { experimentsQueryOptions } from "@/lib/api-client/experiments";
import { compareHref, type CompareUrlState } from "./compare-url";

const inputClass =
  "h-9 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900 disabled:opacity-50";

export function ComparePicker({ initial, fixedA = false, compact = false }: { initial: Partial<CompareUrlState> & { a: number | null; b: number | null }; fixedA?: boolean; compact?: boolean }) {
  const router = useRouter();
  const list = useQuery(experimentsQueryOptions());
  const experiments = list.data?.experiments ?? [];
  const [a, setA] = useState(initial.a);
  const [b, setB] = useState(initial.b);
  const [aSteps, setASteps] = useState(initial.aSteps ? formatStepRange(initial.aSteps) : "");
  const [bSteps, setBSteps] = useState(initial.bSteps ? formatStepRange(initial.bSteps) : "");
  const [error, setError] = useState<string | null>(null);
  const byId = new Map(experiments.map((e) => [e.id, e]));
  const ea = a !== null ? byId.get(a) : undefined;
  const eb = b !== null ? byId.get(b) : undefined;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (a === null || b === null) return setError("Pick both experiments.");
    const ra = ea?.source === "training" && aSteps.trim() ? parseStepRange(aSteps) : null;
    const rb = eb?.source === "training" && bSteps.trim() ? parseStepRange(bSteps) : null;
    if (ea?.source === "training" && aSteps.trim() && !ra) return setError('A steps: write "from-to", e.g. 0-50.');
    if (eb?.source === "training" && bSteps.trim() && !rb) return setError('B steps: write "from-to", e.g. 400-450.');
    setError(null);
    router.push(compareHref({ ...initial, a, b, aSteps: ra, bSteps: rb, task: null }));
  };

  const option = (e: ExperimentSummary, other: ExperimentSummary | undefined) => {
    const mismatch = other && other.task_set_id !== null && e.task_set_id !== null && other.task_set_id !== e.task_set_id;
    return (
      <option key={e.id} value={e.id}>
        #{e.id} {e.name}
        {e.source === "training" ? " (training run)" : ""}
        {mismatch ? " · other task set" : ""}
      </option>
    );
  };

  return (
    <form onSubmit={submit} className={"flex flex-wrap items-end gap-3 text-sm " + (compact ? "" : "rounded-lg border border-zinc-200 bg-white p-3 shadow-sm dark:border-zinc-800 dark:bg-zinc-900")} aria-label="Compare two experiments">
      <Side
        label="A"
        value={a}
        onChange={setA}
        disabled={fixedA}
        options={experiments.map((e) => option(e, eb))}
        loading={list.isPending}
        training={ea?.source === "training"}
        steps={aSteps}
        onSteps={setASteps}
      />
      <span className="pb-2 text-zinc-500">vs</span>
      <Side
        label="B"
        value={b}
        onChange={setB}
        options={experiments.map((e) => option(e, ea))}
        loading={list.isPending}
        training={eb?.source === "training"}
        steps={bSteps}
        onSteps={setBSteps}
      />
      <Button type="submit" data-testid="compare-submit">
        Compare
      </Button>
      {error ? <p className="w-full text-xs text-red-600 dark:text-red-400" role="alert">{error}</p> : null}
    </form>
  );
}

function Side(props: {
  label: string;
  value: number | null;
  onChange: (id: number | null) => void;
  disabled?: boolean;
  options: React.ReactNode[];
  loading: boolean;
  training: boolean;
  steps: string;
  onSteps: (s: string) => void;
}) {
  return (
    <div className="flex flex-wrap items-end gap-2">
      <label className="flex flex-col gap-1">
        <span className="text-xs font-medium text-zinc-600 dark:text-zinc-400">Experiment {props.label}</span>
        <select
          className={inputClass + " max-w-72"}
          data-testid={`compare-pick-${props.label.toLowerCase()}`}
          value={props.value ?? ""}
          disabled={props.disabled || props.loading}
          onChange={(e) => props.onChange(e.target.value ? Number(e.target.value) : null)}
        >
          <option value="">{props.loading ? "Loading…" : "Choose an experiment"}</option>
          {props.options}
        </select>
      </label>
      {props.training ? (
        <label className="flex flex-col gap-1">
          <span className="text-xs font-medium text-zinc-600 dark:text-zinc-400">{props.label} steps</span>
          <input
            className={inputClass + " w-28 font-mono"}
            placeholder="all, or 0-50"
            value={props.steps}
            onChange={(e) => props.onSteps(e.target.value)}
            data-testid={`compare-steps-${props.label.toLowerCase()}`}
          />
        </label>
      ) : null}
    </div>
  );
}
