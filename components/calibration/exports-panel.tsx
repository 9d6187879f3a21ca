/** Downloads from the export route: SFT and RL JSONL (RL under the base iteration), τ² tasks, rollout JSONL. */
import { exportHref, type ExportKind } from "@/lib/api-client/calibration";

const ITEMS: { format: ExportKind; label: string; help: string; perIteration?: boolean }[] = [
  { format: "sft", label: "SFT JSONL", help: "passing, user-stopped rollouts as chat transcripts" },
  { format: "rl", label: "RL JSONL", help: "per-turn rewards and advantages under the iteration", perIteration: true },
  { format: "tasks", label: "τ² tasks.json", help: "the experiment's tasks in τ² format" },
  { format: "jsonl", label: "Rollout JSONL", help: "every rollout, one JSON per line" },
  { format: "tau2", label: "τ² results JSON", help: "rollouts as a τ² results document" },
];

export function ExportsPanel({ experimentId, iterationId, dirty }: { experimentId: number; iterationId: number | null; dirty: boolean }) {
  return (
    <section className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900" data-testid="exports-panel">
      <h2 className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">Exports</h2>
      <p className="mt-0.5 text-xs text-zinc-600 dark:text-zinc-400">
        RL export uses {iterationId === null ? "the experiment's latest iteration" : `iteration id ${iterationId}`}
        {dirty ? " — unsaved edits are not included; save an iteration first." : "."}
      </p>
      <ul className="mt-3 grid gap-2 sm:grid-cols-2 xl:grid-cols-3">
        {ITEMS.map((i) => (
          <li key={i.format}>
            <a
              href={exportHref(experimentId, i.format, i.perIteration ? iterationId : null)}
              download
              data-testid={`export-${i.format}`}
              className="flex h-full flex-col rounded-md border border-zinc-200 px-3 py-2 text-sm hover:border-indigo-400 hover:bg-indigo-50/50 dark:border-zinc-700 dark:hover:border-indigo-500 dark:hover:bg-indigo-950/40"
            >
              <span className="font-medium text-indigo-700 dark:text-indigo-300">↓ {i.label}</span>
              <span className="text-xs text-zinc-600 dark:text-zinc-400">{i.help}</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
