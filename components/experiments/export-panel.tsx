"use client";

/**
 * Exports of an experiment as background jobs: the header's Export menu queues one
 * (POST /api/exports), and the Exports card lists them with a progress bar while the worker
 * writes the file, then a download link. A 100k-rollout export never runs in the web server
 * and the page stays usable; the file stays in the data folder to download again.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef } from "react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ProgressBar } from "@/components/ui/progress-bar";
import {
  createExportRequest,
  deleteExportRequest,
  exportsQueryOptions,
  isExportActive,
  type CreateExportRequest,
  type PublicExport,
} from "@/lib/api-client/exports";
import { queryKeys } from "@/lib/api-client/keys";
import { formatInt, formatTimestamp } from "./format";

const CHOICES: { key: string; label: string; help: string; request: Omit<CreateExportRequest, "experiment_id"> }[] = [
  { key: "jsonl", label: "Rollouts (JSONL)", help: "every rollout, one JSON per line", request: { format: "jsonl" } },
  { key: "sft", label: "SFT (JSONL)", help: "passing, user-stopped rollouts as chat rows", request: { format: "sft" } },
  { key: "rl", label: "RL (JSONL, compact)", help: "a line per rollout: messages once, per-turn advantages", request: { format: "rl", rl_layout: "compact" } },
  { key: "rl-full", label: "RL (JSONL, full)", help: "a line per turn with its whole prompt (large)", request: { format: "rl", rl_layout: "full" } },
  { key: "tau2", label: "τ² results (JSON)", help: "rollouts as a τ² results document", request: { format: "tau2" } },
  { key: "tasks", label: "Tasks (JSON)", help: "the experiment's tasks as τ² tasks.json", request: { format: "tasks" } },
];

const LABELS: Record<string, string> = { jsonl: "Rollouts JSONL", sft: "SFT JSONL", tau2: "τ² results", tasks: "Tasks", rl: "RL JSONL" };

export function ExportMenu({ experimentId, disabled }: { experimentId: number; disabled: boolean }) {
  const qc = useQueryClient();
  const details = useRef<HTMLDetailsElement>(null);
  const create = useMutation({
    mutationFn: (req: Omit<CreateExportRequest, "experiment_id">) => createExportRequest({ experiment_id: experimentId, ...req }),
    onSuccess: () => {
      if (details.current) details.current.open = false;
      void qc.invalidateQueries({ queryKey: queryKeys.exports.list(experimentId) });
      document.getElementById("exports")?.scrollIntoView({ behavior: "smooth", block: "nearest" });
    },
  });
  return (
    <details className="relative" ref={details}>
      <summary
        className={
          "inline-flex h-9 cursor-pointer list-none items-center rounded-md border border-zinc-300 bg-white px-3.5 text-sm font-medium text-zinc-800 hover:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-800 dark:text-zinc-100 dark:hover:bg-zinc-700 " +
          (disabled ? "pointer-events-none opacity-50" : "")
        }
        aria-disabled={disabled}
      >
        Export ▾
      </summary>
      <div className="absolute right-0 z-20 mt-1 w-72 rounded-md border border-zinc-200 bg-white py-1 shadow-lg dark:border-zinc-700 dark:bg-zinc-800" role="menu">
        <p className="px-3 pt-1 pb-2 text-xs text-zinc-500 dark:text-zinc-400">Prepares a file in the background; it appears under Exports below.</p>
        {CHOICES.map((c) => (
          <button
            key={c.key}
            type="button"
            role="menuitem"
            disabled={create.isPending}
            onClick={() => create.mutate(c.request)}
            data-testid={`export-create-${c.key}`}
            className="block w-full px-3 py-1.5 text-left text-sm hover:bg-zinc-100 disabled:opacity-50 dark:hover:bg-zinc-700"
          >
            <span className="block">{c.label}</span>
            <span className="block text-xs text-zinc-500 dark:text-zinc-400">{c.help}</span>
          </button>
        ))}
        {create.error ? <p className="px-3 py-1.5 text-xs text-red-600 dark:text-red-400">{create.error.message}</p> : null}
      </div>
    </details>
  );
}

export function ExportsCard({ experimentId }: { experimentId: number }) {
  const query = useQuery(exportsQueryOptions(experimentId));
  if (query.isPending) return <Card className="h-16 animate-pulse" aria-busy="true" aria-label="Loading exports" />;
  if (query.isError) return <Card className="p-4 text-sm text-red-600 dark:text-red-400">Could not load exports: {query.error.message}</Card>;
  const list = query.data.exports;
  if (list.length === 0) return null; // nothing exported yet: the Export menu is the way in
  return (
    <Card className="p-5">
      <section id="exports" aria-labelledby="exports-title" data-testid="exports-card">
        <h2 id="exports-title" className="text-sm font-semibold">
          Exports
        </h2>
        <ul className="mt-3 divide-y divide-zinc-200 dark:divide-zinc-800">
          {list.map((e) => (
            <ExportRow key={e.id} e={e} />
          ))}
        </ul>
      </section>
    </Card>
  );
}

const TONES: Record<PublicExport["status"], BadgeTone> = { queued: "neutral", running: "blue", succeeded: "green", failed: "red", cancelled: "amber" };

function ExportRow({ e }: { e: PublicExport }) {
  const qc = useQueryClient();
  const remove = useMutation({
    mutationFn: () => deleteExportRequest(e.id),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.exports.list(e.experiment_id ?? 0) }),
  });
  const name = `${LABELS[e.format ?? ""] ?? e.format}${e.rl_layout ? ` (${e.rl_layout})` : ""}${e.iteration ? ` · iteration id ${e.iteration}` : ""}`;
  return (
    <li className="py-2.5 text-sm" data-testid={`export-row-${e.id}`}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="flex min-w-0 items-center gap-2">
          <span className="font-medium">{name}</span>
          <Badge tone={TONES[e.status]}>{e.status}</Badge>
          <span className="text-xs text-zinc-500 dark:text-zinc-400">{formatTimestamp(e.created_at)}</span>
        </div>
        <div className="flex items-center gap-3">
          {e.download_url ? (
            <a href={e.download_url} download className="text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
              ↓ {e.filename} ({formatBytes(e.bytes)}, {formatInt(e.rows)} rows)
            </a>
          ) : null}
          {!isExportActive(e) ? (
            <Button size="sm" variant="ghost" onClick={() => remove.mutate()} disabled={remove.isPending} aria-label={`Delete export ${e.id}`}>
              Delete
            </Button>
          ) : null}
        </div>
      </div>
      {remove.error ? <p className="mt-1 text-xs text-red-600 dark:text-red-400">{remove.error.message}</p> : null}
      {isExportActive(e) ? (
        <div className="mt-2 space-y-1">
          <ProgressBar value={e.progress.done} max={e.progress.total} label={`${name} progress`} />
          <p className="text-xs text-zinc-500 tabular-nums dark:text-zinc-400">
            {e.progress.total ? `${formatInt(e.progress.done)} of ${formatInt(e.progress.total)} rollouts read` : e.status === "queued" ? "waiting for a worker…" : "starting…"}
          </p>
        </div>
      ) : null}
      {e.status === "failed" && e.error ? <p className="mt-1 text-xs break-words text-red-600 dark:text-red-400">{e.error}</p> : null}
    </li>
  );
}

function formatBytes(n: number | null): string {
  if (n === null) return "—";
  const units = ["B", "KB", "MB", "GB"];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(u === 0 ? 0 : 1)} ${units[u]}`;
}
