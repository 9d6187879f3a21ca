"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { enqueueJobRequest } from "@/lib/api-client/jobs";
import { queryKeys } from "@/lib/api-client/keys";

const inputClass =
  "h-9 w-20 rounded-md border border-zinc-300 bg-white px-2 text-sm tabular-nums dark:border-zinc-700 dark:bg-zinc-900";

/** Enqueue demo jobs from the UI (the queue's smoke test). */
export function EnqueueDemoForm() {
  const queryClient = useQueryClient();
  const [steps, setSteps] = useState(10);
  const [stepMs, setStepMs] = useState(500);
  const mutation = useMutation({
    mutationFn: enqueueJobRequest,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.jobs.all() }),
  });
  return (
    <form
      className="flex flex-wrap items-end gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        mutation.mutate({ name: "demo.sleep", payload: { steps, stepMs } });
      }}
    >
      <label className="flex flex-col gap-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
        Steps
        <input
          className={inputClass}
          type="number"
          min={1}
          max={10000}
          value={steps}
          onChange={(e) => setSteps(Number(e.target.value))}
          name="steps"
        />
      </label>
      <label className="flex flex-col gap-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
        Step ms
        <input
          className={inputClass}
          type="number"
          min={0}
          max={60000}
          step={100}
          value={stepMs}
          onChange={(e) => setStepMs(Number(e.target.value))}
          name="stepMs"
        />
      </label>
      <Button type="submit" variant="primary" disabled={mutation.isPending}>
        Enqueue demo.sleep
      </Button>
      <Button
        variant="secondary"
        disabled={mutation.isPending}
        onClick={() => mutation.mutate({ name: "demo.noop", payload: {} })}
      >
        Enqueue demo.noop
      </Button>
      {mutation.isError ? (
        <p role="alert" className="basis-full text-sm text-red-600 dark:text-red-400">
          {mutation.error.message}
        </p>
      ) : null}
    </form>
  );
}
