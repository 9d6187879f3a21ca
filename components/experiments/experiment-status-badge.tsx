import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { ExperimentStatus } from "@/lib/experiments/api-types";

const tone: Record<ExperimentStatus, BadgeTone> = {
  draft: "neutral",
  queued: "neutral",
  running: "blue",
  completed: "green",
  failed: "red",
  cancelled: "amber",
};

export function ExperimentStatusBadge({ status, cancelling }: { status: ExperimentStatus; cancelling?: boolean }) {
  return (
    <span data-testid="experiment-status" data-status={status}>
      <Badge tone={tone[status]}>
        {status === "running" ? <span className="h-1.5 w-1.5 animate-pulse rounded-full bg-current" aria-hidden /> : null}
        {cancelling && status === "running" ? "cancelling" : status}
      </Badge>
    </span>
  );
}

export function progressTone(status: ExperimentStatus) {
  if (status === "completed") return "green" as const;
  if (status === "failed") return "red" as const;
  if (status === "cancelled" || status === "queued" || status === "draft") return "zinc" as const;
  return "indigo" as const;
}
