import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import type { RolloutDetail } from "@/lib/experiments/api-types";
import { DriverLabel, OutcomeBadge, TerminationBadge } from "./outcome-badges";
import { ImportCheckBadges } from "@/components/experiments/import-check";
import { RolloutLink } from "./rollout-grid";

/** Outcome badges for one sibling column: pass/fail, reward, termination, plus size and a link. */
export function RolloutColumnHeader({
  rollout: r,
  index,
  selectedTurn,
  query,
  strip,
}: {
  rollout: RolloutDetail;
  index: number;
  selectedTurn?: number;
  /** Config parameters carried to the rollout page. */
  query?: string;
  /** The rollout's turn strip (rewards, advantages, tiers). */
  strip?: ReactNode;
}) {
  const tokens = r.prompt_tokens + r.completion_tokens;
  const label = r.preset ? `simulated agent (${r.preset})` : r.agent_label;
  return (
    <div className="space-y-1.5" data-testid="rollout-header" data-outcome={r.outcome ?? "running"}>
      <div className="flex items-center justify-between gap-2">
        <span className="text-xs font-semibold text-zinc-700 dark:text-zinc-200">sample {index}</span>
        <RolloutLink experimentId={r.experiment_id} rolloutId={r.id} turn={selectedTurn} query={query}>
          open ↗
        </RolloutLink>
      </div>
      {strip}
      <div className="flex flex-wrap items-center gap-1">
        <OutcomeBadge outcome={r.outcome} status={r.status} />
        {r.reward !== null ? <Badge tone="neutral">reward {r.reward.toFixed(2)}</Badge> : null}
        <TerminationBadge termination={r.termination} />
        {r.policy_violations.length > 0 ? <Badge tone="red">{r.policy_violations.length} policy</Badge> : null}
        <ImportCheckBadges metadata={r.metadata} />
      </div>
      <div className="flex flex-wrap items-center gap-x-2 text-[11px] text-zinc-500 dark:text-zinc-400">
        <span className="font-mono tabular-nums">{r.turns} turns</span>
        <span className="font-mono tabular-nums">{tokens.toLocaleString("en-US")} tok</span>
        {r.errors > 0 ? <span className="font-mono text-red-600 tabular-nums dark:text-red-400">{r.errors} err</span> : null}
        {label ? (
          <span className="min-w-0 truncate">
            <DriverLabel label={label} />
          </span>
        ) : null}
      </div>
    </div>
  );
}
