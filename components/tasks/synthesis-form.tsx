"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { SynthesisProgress } from "./synthesis-progress";
import { queryKeys } from "@/lib/api-client/keys";
import { ApiRequestError } from "@/lib/api-client/request";
import { createTaskSetRequest } from "@/lib/api-client/tasks";

export const GRID_WRITES = [1, 2, 3, 4, 5] as const;
export const GRID_EVIDENCE = [1, 2, 4, 8, 16] as const;

const input =
  "h-9 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100";
const label = "flex flex-col gap-1 text-xs font-medium text-zinc-600 dark:text-zinc-400";

type Grid = Record<string, number>;
const key = (w: number, b: number) => `${w}x${b}`;

function initialGrid(): Grid {
  const g: Grid = {};
  for (const w of GRID_WRITES) for (const b of GRID_EVIDENCE) g[key(w, b)] = w <= 2 && b <= 2 ? 1 : 0;
  return g;
}

export interface EnvironmentOption {
  id: number;
  name: string;
}

/** The "New synthesis" form: environment, W × B grid of counts, behaviour mix, seed; then live progress. */
export function SynthesisForm({
  environments,
  behaviors,
  defaultEnvironmentId,
}: {
  environments: EnvironmentOption[];
  behaviors: readonly string[];
  defaultEnvironmentId: number | null;
}) {
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [envId, setEnvId] = useState<number | null>(defaultEnvironmentId);
  const [seed, setSeed] = useState(0);
  const [grid, setGrid] = useState<Grid>(initialGrid);
  const [weights, setWeights] = useState<Record<string, number>>(() =>
    Object.fromEntries(behaviors.map((b) => [b, b === "cooperative" ? 1 : 0])),
  );
  const [launched, setLaunched] = useState<{ jobId: number; setId: number; name: string } | null>(null);
  const total = Object.values(grid).reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);

  const mutation = useMutation({
    mutationFn: createTaskSetRequest,
    onSuccess: (res) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.taskSets.all() });
      if (res.job) setLaunched({ jobId: res.job.id, setId: res.task_set.id, name: res.task_set.name });
    },
  });

  const fill = (n: number) => setGrid(Object.fromEntries(Object.keys(grid).map((k) => [k, n])));

  return (
    <form
      className="space-y-4"
      aria-label="New synthesis"
      onSubmit={(e) => {
        e.preventDefault();
        const cells = GRID_WRITES.flatMap((w) =>
          GRID_EVIDENCE.map((b) => ({ writes: w, evidence: b, count: grid[key(w, b)] })).filter((c) => c.count > 0),
        );
        const behaviorWeights = Object.fromEntries(Object.entries(weights).filter(([, v]) => v > 0));
        mutation.mutate({
          name: name.trim() || `Synthesis ${new Date().toISOString().slice(0, 16).replace("T", " ")}`,
          environment_id: envId,
          config: { grid: cells, behaviors: behaviorWeights, seed },
        });
      }}
    >
      <div className="flex flex-wrap items-end gap-3">
        <label className={label}>
          Name
          <input className={input + " w-64"} value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. read-heavy sweep" name="name" />
        </label>
        <label className={label}>
          State source
          <select className={input + " w-72"} value={envId ?? ""} onChange={(e) => setEnvId(e.target.value ? Number(e.target.value) : null)} name="environment">
            {environments.map((e) => (
              <option key={e.id} value={e.id}>
                {e.name}
              </option>
            ))}
          </select>
        </label>
        <label className={label}>
          Seed
          <input className={input + " w-24 tabular-nums"} type="number" value={seed} onChange={(e) => setSeed(Math.trunc(Number(e.target.value)))} name="seed" />
        </label>
      </div>

      <fieldset>
        <legend className="mb-2 flex flex-wrap items-center gap-3 text-xs font-medium text-zinc-600 dark:text-zinc-400">
          <span>Tasks per cell: W (write decisions) × B (reads per decision)</span>
          <span className="flex gap-1">
            <Button size="sm" variant="ghost" onClick={() => fill(0)}>
              Clear
            </Button>
            <Button size="sm" variant="ghost" onClick={() => fill(1)}>
              All 1
            </Button>
            <Button size="sm" variant="ghost" onClick={() => fill(2)}>
              All 2
            </Button>
          </span>
        </legend>
        <div className="overflow-x-auto">
          <table className="border-separate border-spacing-1 text-sm">
            <thead>
              <tr>
                <th className="px-1 text-left text-xs font-medium text-zinc-500">W \ B</th>
                {GRID_EVIDENCE.map((b) => (
                  <th key={b} className="w-16 text-center text-xs font-semibold text-zinc-600 tabular-nums dark:text-zinc-400">
                    B={b}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {GRID_WRITES.map((w) => (
                <tr key={w}>
                  <th className="pr-2 text-left text-xs font-semibold text-zinc-600 tabular-nums dark:text-zinc-400">W={w}</th>
                  {GRID_EVIDENCE.map((b) => {
                    const v = grid[key(w, b)];
                    return (
                      <td key={b}>
                        <input
                          aria-label={`Count for W=${w}, B=${b}`}
                          type="number"
                          min={0}
                          max={1000}
                          value={v}
                          onFocus={(e) => e.target.select()}
                          onChange={(e) => setGrid({ ...grid, [key(w, b)]: Math.max(0, Math.trunc(Number(e.target.value) || 0)) })}
                          className={
                            "h-9 w-16 rounded-md border px-2 text-center text-sm tabular-nums " +
                            (v > 0
                              ? "border-indigo-400 bg-indigo-50 font-semibold text-indigo-900 dark:border-indigo-500 dark:bg-indigo-950 dark:text-indigo-100"
                              : "border-zinc-300 bg-white text-zinc-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-400")
                          }
                        />
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </fieldset>

      <fieldset>
        <legend className="mb-2 text-xs font-medium text-zinc-600 dark:text-zinc-400">Behaviour mix (relative weights; 0 = off)</legend>
        <div className="flex flex-wrap gap-3">
          {behaviors.map((b) => (
            <label key={b} className={label}>
              {b.replace(/_/g, " ")}
              <input
                aria-label={`Weight for ${b}`}
                className={input + " w-20 tabular-nums"}
                type="number"
                min={0}
                step={0.5}
                value={weights[b] ?? 0}
                onChange={(e) => setWeights({ ...weights, [b]: Math.max(0, Number(e.target.value) || 0) })}
              />
            </label>
          ))}
        </div>
      </fieldset>

      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="primary" disabled={mutation.isPending || total === 0}>
          {mutation.isPending ? "Launching…" : `Synthesize ${total} task${total === 1 ? "" : "s"}`}
        </Button>
        {mutation.isError ? (
          <p className="text-sm text-red-700 dark:text-red-400" role="alert">
            {mutation.error.message}
            {mutation.error instanceof ApiRequestError && mutation.error.field ? <span className="ml-1 font-mono text-xs">({mutation.error.field})</span> : null}
          </p>
        ) : null}
      </div>

      {launched ? <SynthesisProgress key={launched.jobId} jobId={launched.jobId} setId={launched.setId} setName={launched.name} /> : null}
    </form>
  );
}
