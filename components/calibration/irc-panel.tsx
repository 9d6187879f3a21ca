"use client";

/**
 * Iterative Reward Calibration: the suggested value per tier (α·ρ, or 0 when |ρ| ≤ δ) with the
 * rule that produced it, and the stop rule (met / not met / undecided when some tier has no
 * direction, which no reweighting fixes). Suggestions are proposals: nothing changes in the
 * editor until the researcher clicks "Apply" (per tier) or "Apply all".
 */
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import type { StopRuleStatus, SuggestionRule, TierName } from "@/lib/calibration/api-types";
import { TIER_NAMES } from "@/lib/rewards";
import { fmt, TIER_COLORS } from "./series";

/** Suggestions are copied rounded to 0.01: the paper rounded by hand; the number stays editable. */
export const roundSuggestion = (v: number) => {
  const r = Math.round(v * 100) / 100;
  return r === 0 ? 0 : r;
};

export function IrcPanel({
  rules,
  stop,
  onApply,
  onApplyAll,
}: {
  rules: Record<TierName, SuggestionRule>;
  stop: StopRuleStatus;
  onApply: (tier: TierName, value: number) => void;
  onApplyAll: (values: Partial<Record<TierName, number>>) => void;
}) {
  const changed = TIER_NAMES.filter((t) => rules[t] && (rules[t].current === "formula" || roundSuggestion(rules[t].value) !== rules[t].current));
  // A cached response from before the three-way rule has no status: derive it from `met`.
  const status = stop.status ?? (stop.met ? "met" : "continue");
  const noDirection = stop.undefined_direction ?? 0;
  return (
    <section className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900" data-testid="irc-panel">
      <div className="mb-3 flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">IRC suggestion</h2>
          <p className="mt-0.5 text-xs text-zinc-600 dark:text-zinc-400">r_c = α·ρ_c when |ρ_c| &gt; δ, else 0. Applying copies the value (rounded to 0.01) into the editor.</p>
        </div>
        <div
          data-testid="stop-rule"
          data-met={stop.met ? "true" : "false"}
          data-status={status}
          className={
            "rounded-md px-3 py-2 text-xs ring-1 ring-inset " +
            (status === "met"
              ? "bg-emerald-50 text-emerald-900 ring-emerald-200 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-900"
              : status === "undecided"
                ? "bg-zinc-100 text-zinc-800 ring-zinc-300 dark:bg-zinc-800 dark:text-zinc-200 dark:ring-zinc-700"
                : "bg-amber-50 text-amber-900 ring-amber-200 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-900")
          }
        >
          <div className="font-semibold">
            {status === "met" ? "Stop rule met — calibrated" : status === "undecided" ? "Stop rule undecided — no direction" : "Stop rule not met — iterate"}
          </div>
          <div className="mt-0.5 font-mono tabular-nums">
            mismatches = {stop.mismatches} {stop.mismatches === 0 ? "✓" : "✗ (need 0)"}
            {noDirection > 0 && <> · no direction = {noDirection} ○</>} · Corr(r̄, o) = {fmt(stop.corr_mean_reward_outcome, 3)}{" "}
            {stop.corr_mean_reward_outcome !== null && stop.corr_mean_reward_outcome > stop.eta ? "✓" : "✗"} (need &gt; η = {fmt(stop.eta, 2)})
          </div>
          {status === "undecided" && (
            <div className="mt-1 max-w-sm" data-testid="stop-rule-undecided">
              {noDirection} tier{noDirection === 1 ? " has" : "s have"} a mean advantage of 0, so alignment cannot be judged and reweighting
              cannot change it. Run more rollouts per task (groups whose outcomes differ).
            </div>
          )}
        </div>
      </div>
      <div className="overflow-x-auto">
        <table className="w-full text-xs">
          <thead>
            <tr className="border-b border-zinc-200 text-left text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
              <th className="py-1.5 pr-2 font-medium">tier</th>
              <th className="py-1.5 pr-2 text-right font-medium">current</th>
              <th className="py-1.5 pr-2 text-right font-medium">ρ</th>
              <th className="py-1.5 pr-2 text-right font-medium">suggested</th>
              <th className="py-1.5 pr-2 font-medium">rule</th>
              <th className="py-1.5 text-right font-medium">
                <Button
                  size="sm"
                  variant="primary"
                  data-testid="irc-apply-all"
                  disabled={changed.length === 0}
                  onClick={() => onApplyAll(Object.fromEntries(changed.map((t) => [t, roundSuggestion(rules[t].value)])))}
                >
                  Apply all ({changed.length})
                </Button>
              </th>
            </tr>
          </thead>
          <tbody>
            {TIER_NAMES.map((t) => {
              const r = rules[t];
              if (!r) return null;
              const v = roundSuggestion(r.value);
              const differs = r.current === "formula" || v !== r.current;
              return (
                <tr key={t} className="border-b border-zinc-100 text-zinc-800 last:border-0 dark:border-zinc-800/60 dark:text-zinc-200" data-testid={`irc-row-${t}`}>
                  <td className="py-1.5 pr-2">
                    <span className="inline-flex items-center gap-1.5 font-medium">
                      <span className="h-2.5 w-2.5 rounded-sm" style={{ background: TIER_COLORS[t] }} aria-hidden />
                      {t}
                    </span>
                  </td>
                  <td className="py-1.5 pr-2 text-right font-mono tabular-nums">{r.current === "formula" ? "formula" : fmt(r.current, 2)}</td>
                  <td className="py-1.5 pr-2 text-right font-mono tabular-nums">{fmt(r.rho, 3)}</td>
                  <td className="py-1.5 pr-2 text-right font-mono font-semibold tabular-nums" data-testid={`irc-value-${t}`}>
                    {fmt(v, 2)}
                  </td>
                  <td className="py-1.5 pr-2 text-zinc-600 dark:text-zinc-400">{r.rule}</td>
                  <td className="py-1.5 text-right">
                    {differs ? (
                      <Button size="sm" data-testid={`irc-apply-${t}`} onClick={() => onApply(t, v)}>
                        Apply
                      </Button>
                    ) : (
                      <Badge tone="green">applied</Badge>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
