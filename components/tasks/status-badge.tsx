import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { TaskSetStatus } from "@/db/schema";

const tones: Record<TaskSetStatus, BadgeTone> = { queued: "neutral", running: "blue", ready: "green", failed: "red", cancelled: "amber" };

export function TaskSetStatusBadge({ status }: { status: TaskSetStatus }) {
  return (
    <span data-testid="task-set-status" data-status={status}>
      <Badge tone={tones[status]}>{status}</Badge>
    </span>
  );
}
