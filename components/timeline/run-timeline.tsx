"use client";

/**
 * The run timeline (/experiments/:id/timeline): a training run over its steps. Data from
 * GET /api/experiments/:id/timeline (lib/analysis/timeline.ts); refreshed every 2 s while the run
 * is running, like a running experiment's progress. Every chart is clickable: a point opens the
 * workbench sliced to that point's steps. View state (estimator, bucket, tier) is in the URL.
 */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { TIER_COLORS } from "@/components/calibration/series";
import type { TimelineResponse } from "@/lib/calibration/timeline-service";
import { experimentQueryOptions, isFinalStatus } from "@/lib/api-client/experiments";
import { timelineQueryOptions } from "@/lib/api-client/timeline";
import {
  encodeTimelineState,
  TIMELINE_ESTIMATORS,
  workbenchStepsHref,
  type TimelineTierName,
  type TimelineUrlState,
} from "@/lib/analysis/timeline-url";
import { TimelineChart, type TimelineSeries } from "./timeline-chart";

const TIERS: TimelineTierName[] = ["gold", "soft", "read", "state", "message", "error", "duplicate"];
const ESTIMATOR_LABEL: Record<string, string> = { grpo: "GRPO", mt_grpo: "MT-GRPO", gtpo: "GTPO", hybrid: "hybrid" };
const pct = (v: number | null) => (v === null ? null : v * 100);

export function RunTimeline({ experimentId, initial }: { experimentId: number; initial: TimelineUrlState }) {
  const router = useRouter();
  const [state, setState] = useState<TimelineUrlState>(initial);
  const experiment = useQuery(experimentQueryOptions(experimentId));
  const status = experiment.data?.experiment.status;
  const live = !!status && !isFinalStatus(status);
  const timeline = useQuery(timelineQueryOptions(experimentId, state, live));

  // Keep the address bar in step with the view.
  const query = encodeTimelineState(state);
  useEffect(() => {
    const target = `/experiments/${experimentId}/timeline${query ? `?${query}` : ""}`;
    if (window.location.pathname + window.location.search !== target) window.history.replaceState(window.history.state, "", target);
  }, [experimentId, query]);

  const d = timeline.data;
  const points = useMemo(() => (d ? toPoints(d) : []), [d]);
  const open = (i: number) => {
    if (!d || d.step_from[i] === undefined) return;
    router.push(workbenchStepsHref(experimentId, d.step_from[i], d.step_to[i]));
  };

  const name = experiment.data?.experiment.name ?? `Experiment ${experimentId}`;
  const estimator = d?.estimator ?? state.estimator ?? "grpo";
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <div className="text-xs text-zinc-500 dark:text-zinc-400">
            <Link href="/experiments" className="hover:underline">
              Experiments
            </Link>{" "}
            /{" "}
            <Link href={`/experiments/${experimentId}`} className="hover:underline">
              #{experimentId}
            </Link>{" "}
            / timeline
          </div>
          <h1 className="mt-0.5 text-2xl font-semibold tracking-tight">
            <span className="break-all">{name}</span>
            {live ? (
              <span className="ml-3 align-middle text-xs font-medium text-emerald-700 dark:text-emerald-400" data-testid="timeline-live">
                ● live
              </span>
            ) : null}
          </h1>
        </div>
        <div className="flex flex-wrap items-center gap-3 text-sm" data-testid="timeline-controls">
          <label className="flex items-center gap-1.5">
            <span className="text-xs text-zinc-600 dark:text-zinc-400">estimator</span>
            <select
              className="h-8 rounded border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
              value={state.estimator ?? ""}
              onChange={(e) => setState({ ...state, estimator: (e.target.value || null) as TimelineUrlState["estimator"] })}
            >
              <option value="">configured ({ESTIMATOR_LABEL[d?.estimator ?? "grpo"]})</option>
              {TIMELINE_ESTIMATORS.map((e) => (
                <option key={e} value={e}>
                  {ESTIMATOR_LABEL[e]}
                </option>
              ))}
            </select>
          </label>
          <label className="flex items-center gap-1.5">
            <span className="text-xs text-zinc-600 dark:text-zinc-400">steps per point</span>
            <select
              className="h-8 rounded border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
              value={state.bucket ?? 0}
              onChange={(e) => setState({ ...state, bucket: Number(e.target.value) || null })}
            >
              <option value={0}>auto{d && !state.bucket ? ` (${d.bucket})` : ""}</option>
              {[1, 2, 5, 10, 25, 50, 100].map((b) => (
                <option key={b} value={b}>
                  {b}
                </option>
              ))}
            </select>
          </label>
          <label className="flex items-center gap-1.5">
            <span className="text-xs text-zinc-600 dark:text-zinc-400">CI band of</span>
            <select
              className="h-8 rounded border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
              value={state.tier}
              onChange={(e) => setState({ ...state, tier: e.target.value as TimelineTierName })}
            >
              {TIERS.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </label>
          <Link href={`/experiments/${experimentId}/calibrate`} className="text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
            Workbench (all steps)
          </Link>
        </div>
      </div>

      {timeline.isPending ? (
        <div className="grid gap-4 xl:grid-cols-2" aria-busy="true" aria-label="Loading timeline">
          {Array.from({ length: 4 }, (_, i) => (
            <div key={i} className="h-72 animate-pulse rounded-lg bg-zinc-200/60 dark:bg-zinc-800/60" />
          ))}
        </div>
      ) : timeline.isError ? (
        <Card>
          <EmptyState title="Could not load the timeline">{timeline.error.message}</EmptyState>
        </Card>
      ) : points.length === 0 ? (
        <Card>
          <EmptyState title={live ? "Waiting for the first training step…" : "No training steps"}>
            {live
              ? "Groups appear here as the trainer sends them (POST /api/v1/ingest, the Python client or writ ingest)."
              : "This experiment has no rollouts with a training step. The timeline is for training runs streamed in by a trainer."}
          </EmptyState>
        </Card>
      ) : (
        <>
          <p className="text-xs text-zinc-600 dark:text-zinc-400" data-testid="timeline-summary">
            {d!.step_from.length} point{d!.step_from.length === 1 ? "" : "s"} · steps {d!.min_step}–{d!.max_step}
            {d!.bucket > 1 ? ` · ${d!.bucket} steps per point` : ""} · {d!.rollouts.reduce((a, b) => a + b, 0).toLocaleString("en-US")} rollouts ·
            estimator {ESTIMATOR_LABEL[estimator]} · click a point to open the workbench on its steps
          </p>
          <div className="grid gap-4 xl:grid-cols-2">
            <TimelineChart
              title="Pass rate"
              testId="timeline-pass-rate"
              description="Share of rollouts WRIT Lab's evaluator passes, per point."
              points={points}
              yLabel="pass rate (%)"
              yDomain={[0, 100]}
              series={[{ key: "pass", label: "pass rate", color: "#10b981", unit: "%" }]}
              onPoint={open}
            />
            <TimelineChart
              title="Discriminativeness ρ per tier"
              testId="timeline-rho"
              description={`ρ(tier present, outcome) per point; band = 95% CI of ${state.tier}.`}
              points={points}
              yLabel="ρ (−1…1)"
              yDomain={[-1, 1]}
              band={{ lo: `lo_${state.tier}`, hi: `hi_${state.tier}`, color: TIER_COLORS[state.tier] }}
              series={TIERS.map((t) => ({ key: `rho_${t}`, label: t, color: TIER_COLORS[t] }))}
              onPoint={open}
            />
            <TimelineChart
              title={`Mean advantage per tier (${ESTIMATOR_LABEL[estimator]})`}
              testId="timeline-advantage"
              description="Mean WRIT Lab advantage of each tier's turns, per point."
              points={points}
              yLabel="mean advantage"
              series={TIERS.map((t) => ({ key: `adv_${t}`, label: t, color: TIER_COLORS[t] }))}
              zeroLine
              onPoint={open}
            />
            <TimelineChart
              title="Mismatches, zero-variance groups, dead turns"
              testId="timeline-health"
              description={
                d!.has_trainer_reward
                  ? "Tiers whose advantage direction contradicts ρ (count, left axis); groups whose rollouts all have one outcome (WRIT Lab's evaluator) or one trainer reward (TRL's frac_reward_zero_std), and turns with A = 0 (%, right axis)."
                  : "Tiers whose advantage direction contradicts ρ (count, left axis); groups whose rollouts all have one outcome (the trainer sent no rewards, so its frac_reward_zero_std is not shown) and turns with A = 0 (%, right axis)."
              }
              points={points}
              yLabel="mismatched tiers"
              y2Label="share (%)"
              series={[
                { key: "mismatches", label: "mismatches", color: "#ef4444", kind: "step" },
                { key: "zero", label: "zero-variance groups (outcome)", color: "#6366f1", unit: "%", axis: "right" },
                ...(d!.has_trainer_reward
                  ? [{ key: "zero_trainer", label: "zero-variance groups (trainer reward)", color: "#0ea5e9", unit: "%", axis: "right" as const, dashed: true }]
                  : []),
                { key: "dead", label: "dead turns", color: "#71717a", unit: "%", axis: "right" },
              ]}
              onPoint={open}
            />
            <TimelineChart
              title="Sign agreement with the trainer's advantages"
              testId="timeline-agreement"
              description="Share of turns where the trainer's own advantage and WRIT Lab's have the same sign (turns where both are non-zero), per tier."
              points={points}
              yLabel="agreement (%)"
              yDomain={[0, 100]}
              series={TIERS.map((t) => ({ key: `agree_${t}`, label: t, color: TIER_COLORS[t], unit: "%" }))}
              empty={d!.has_trainer_advantage ? undefined : "The trainer sent no advantages (advantage / turn_advantages) for this run."}
              onPoint={open}
              className="xl:col-span-2"
            />
          </div>
        </>
      )}
    </div>
  );
}

function toPoints(d: TimelineResponse): Record<string, number | string | null>[] {
  return d.step_from.map((from, i) => {
    const p: Record<string, number | string | null> = {
      step: from,
      label: from === d.step_to[i] ? `step ${from}` : `steps ${from}–${d.step_to[i]}`,
      rollouts: d.rollouts[i],
      pass: pct(d.pass_rate[i]),
      mismatches: d.mismatches[i],
      zero: pct(d.zero_variance_share[i]),
      zero_trainer: pct(d.trainer_zero_variance_share[i]),
      dead: pct(d.dead_turn_share[i]),
    };
    for (const t of TIERS) {
      const s = d.tiers[t];
      p[`rho_${t}`] = s.rho[i];
      p[`lo_${t}`] = s.ci_lo[i];
      p[`hi_${t}`] = s.ci_hi[i];
      p[`adv_${t}`] = s.mean_adv[i];
      p[`agree_${t}`] = pct(s.sign_agreement[i]);
    }
    return p;
  });
}

export type { TimelineSeries };
