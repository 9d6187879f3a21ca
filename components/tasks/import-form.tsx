"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import type { EnvironmentOption } from "./synthesis-form";
import { queryKeys } from "@/lib/api-client/keys";
import { ApiRequestError } from "@/lib/api-client/request";
import { createTaskSetRequest } from "@/lib/api-client/tasks";

const input =
  "h-9 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100";
const label = "flex flex-col gap-1 text-xs font-medium text-zinc-600 dark:text-zinc-400";

/** Upload a τ² tasks.json; the server validates every task and names the first bad index and field. */
export function ImportForm({ environments, defaultEnvironmentId }: { environments: EnvironmentOption[]; defaultEnvironmentId: number | null }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [envId, setEnvId] = useState<number | null>(defaultEnvironmentId);
  const [file, setFile] = useState<File | null>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: createTaskSetRequest,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.taskSets.all() }),
  });
  return (
    <form
      className="space-y-3"
      aria-label="Import τ² tasks"
      onSubmit={async (e) => {
        e.preventDefault();
        setLocalError(null);
        if (!file) return setLocalError("choose a tasks.json file");
        let parsed: unknown;
        try {
          parsed = JSON.parse(await file.text());
        } catch {
          return setLocalError(`${file.name} is not valid JSON`);
        }
        mutation.mutate({ name: name.trim() || file.name.replace(/\.json$/i, ""), environment_id: envId, import: parsed });
      }}
    >
      <div className="flex flex-wrap items-end gap-3">
        <label className={label}>
          Name
          <input className={input + " w-56"} value={name} onChange={(e) => setName(e.target.value)} placeholder="defaults to the file name" />
        </label>
        <label className={label}>
          Environment
          <select className={input + " w-64"} value={envId ?? ""} onChange={(e) => setEnvId(e.target.value ? Number(e.target.value) : null)}>
            {environments.map((e) => (
              <option key={e.id} value={e.id}>
                {e.name}
              </option>
            ))}
          </select>
        </label>
        <label className={label}>
          τ² tasks.json
          <input
            className="text-sm file:mr-2 file:rounded-md file:border file:border-zinc-300 file:bg-white file:px-2 file:py-1 file:text-xs dark:file:border-zinc-700 dark:file:bg-zinc-800 dark:file:text-zinc-100"
            type="file"
            accept="application/json,.json"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </label>
        <Button type="submit" disabled={mutation.isPending}>
          {mutation.isPending ? "Importing…" : "Import"}
        </Button>
      </div>
      {localError || mutation.isError ? (
        <p className="text-sm text-red-700 dark:text-red-400" role="alert">
          {localError ?? mutation.error?.message}
          {mutation.error instanceof ApiRequestError && mutation.error.field ? <span className="ml-1 font-mono text-xs">({mutation.error.field})</span> : null}
        </p>
      ) : null}
      {mutation.isSuccess ? (
        <p className="text-sm text-emerald-700 dark:text-emerald-400">
          Imported {mutation.data.task_set.task_count} tasks.{" "}
          <Link className="font-medium underline" href={`/tasks/${mutation.data.task_set.id}`}>
            Open {mutation.data.task_set.name} →
          </Link>
        </p>
      ) : null}
    </form>
  );
}
