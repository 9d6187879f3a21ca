/**
 * What an import found when it re-scored the file: shown on the experiment page (counts from
 * experiments.metadata.import_report) and on each imported rollout (metadata.import_check).
 * Plain text only (values come from a user's file).
 */
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";

interface ImportReportView {
  rescored?: number;
  not_rescored_reason?: string | null;
  reward_disagreements?: number;
  disagreements?: { source_id: string; task_id: string; trial: number; recorded: number; recomputed: number }[];
  tool_outputs?: { compared: number; differences: number } | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The experiment-level summary; nothing for experiments that were not imported. */
export function ImportReportCard({ metadata, rollouts }: { metadata: Record<string, unknown> | null; rollouts: number }) {
  const rep = metadata && isRecord(metadata.import_report) ? (metadata.import_report as ImportReportView) : null;
  if (!rep) return null;
  const disagree = rep.reward_disagreements ?? 0;
  return (
    <Card className="space-y-2 p-5" data-testid="import-report">
      <h2 className="text-sm font-semibold">Import check</h2>
      <p className="text-sm">
        Re-scored {rep.rescored ?? 0} of {rollouts} rollouts with WRIT Lab&apos;s evaluator:{" "}
        <span className={disagree ? "font-semibold text-red-600 dark:text-red-400" : ""} data-testid="reward-disagreements">
          {disagree} recorded reward{disagree === 1 ? "" : "s"} differ from the recomputed one
        </span>
        {rep.tool_outputs ? `; ${rep.tool_outputs.differences} of ${rep.tool_outputs.compared} recorded tool outputs differ on replay` : ""}.
      </p>
      {rep.not_rescored_reason ? <p className="text-sm text-amber-700 dark:text-amber-400">Not re-scored: {rep.not_rescored_reason}</p> : null}
      {rep.disagreements?.length ? (
        <ul className="text-xs text-zinc-600 dark:text-zinc-300">
          {rep.disagreements.slice(0, 5).map((d) => (
            <li key={d.source_id} className="font-mono">
              task {d.task_id} trial {d.trial}: recorded {d.recorded.toFixed(1)} vs recomputed {d.recomputed.toFixed(1)}
            </li>
          ))}
        </ul>
      ) : null}
    </Card>
  );
}

/** Per rollout: a visible "recorded 1.0 vs recomputed 0.0" marker when they disagree, and replay differences. */
export function ImportCheckBadges({ metadata }: { metadata: Record<string, unknown> | null | undefined }) {
  const c = metadata && isRecord(metadata.import_check) ? metadata.import_check : null;
  if (!c) return null;
  const recorded = typeof c.recorded_reward === "number" ? c.recorded_reward : null;
  const recomputed = typeof c.recomputed_reward === "number" ? c.recomputed_reward : null;
  const diffs = typeof c.tool_output_diffs === "number" ? c.tool_output_diffs : 0;
  return (
    <>
      {recorded !== null && recomputed !== null && Math.abs(recorded - recomputed) > 1e-6 ? (
        <span data-testid="reward-disagreement">
          <Badge tone="red">
            recorded {recorded.toFixed(1)} vs recomputed {recomputed.toFixed(1)}
          </Badge>
        </span>
      ) : null}
      {diffs > 0 ? <Badge tone="amber">{diffs} tool output{diffs === 1 ? "" : "s"} differ</Badge> : null}
    </>
  );
}
