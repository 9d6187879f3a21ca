import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { Termination } from "@/lib/types/messages";

const terminationTone: Record<Termination, BadgeTone> = {
  user_stop: "neutral",
  agent_stop: "neutral",
  max_turns: "amber",
  too_many_errors: "red",
  error: "red",
};

export function TerminationBadge({ termination }: { termination: Termination | null }) {
  if (!termination) return null;
  return <Badge tone={terminationTone[termination]}>{termination.replace(/_/g, " ")}</Badge>;
}

/** pass / fail / running for one rollout. */
export function OutcomeBadge({ outcome, status }: { outcome: 0 | 1 | null; status?: "running" | "done" | "error" }) {
  if (status === "running" || outcome === null) {
    return (
      <Badge tone="blue">
        <span className="h-1.5 w-1.5 animate-pulse rounded-full bg-current" aria-hidden />
        running
      </Badge>
    );
  }
  return outcome === 1 ? <Badge tone="green">pass</Badge> : <Badge tone="red">fail</Badge>;
}

/** The driver label, flagged when simulated so nobody mistakes it for a model's output. */
export function DriverLabel({ label }: { label: string | null | undefined }) {
  if (!label) return null;
  const simulated = /simulated/i.test(label);
  return (
    <span className="inline-flex max-w-full min-w-0 items-center gap-1" title={label}>
      {simulated ? <Badge tone="amber">simulated</Badge> : null}
      <span className="truncate">{simulated ? label.replace(/^simulated\s*/i, "") || label : label}</span>
    </span>
  );
}

/**
 * N small squares, one per sample: green pass, red fail, grey pending. `passed of size`
 * is also given as text for screen readers and tests.
 */
export function PassDots({ outcomes, passed, size }: { outcomes: readonly (0 | 1 | null)[]; passed: number; size: number }) {
  return (
    <span className="inline-flex items-center gap-1.5" aria-label={`${passed} of ${size} passed`}>
      <span className="inline-flex flex-wrap gap-0.5" aria-hidden>
        {outcomes.map((o, i) => (
          <span
            key={i}
            className={
              "h-2.5 w-2.5 rounded-[3px] " +
              (o === 1 ? "bg-emerald-500" : o === 0 ? "bg-red-500" : "bg-zinc-300 dark:bg-zinc-700")
            }
          />
        ))}
      </span>
      <span className="font-mono text-xs tabular-nums" data-testid="pass-count">
        {passed}/{size}
      </span>
    </span>
  );
}
