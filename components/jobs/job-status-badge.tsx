import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { JobStatus } from "@/lib/jobs/status";

const tone: Record<JobStatus, BadgeTone> = {
  queued: "neutral",
  running: "blue",
  succeeded: "green",
  failed: "red",
  cancelled: "amber",
};

export function JobStatusBadge({ status, cancelling }: { status: JobStatus; cancelling?: boolean }) {
  return (
    <Badge tone={tone[status]}>
      {status === "running" ? <span className="h-1.5 w-1.5 animate-pulse rounded-full bg-current" aria-hidden /> : null}
      {cancelling && status === "running" ? "cancelling" : status}
    </Badge>
  );
}
