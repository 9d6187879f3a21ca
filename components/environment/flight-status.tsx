import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { FlightDateStatus } from "@/lib/airline/schema";
import { money } from "./ui";

const tones: Record<FlightDateStatus["status"], BadgeTone> = {
  available: "green",
  landed: "neutral",
  cancelled: "red",
  delayed: "amber",
  "on time": "blue",
  flying: "blue",
};

export function FlightStatusBadge({ status }: { status: FlightDateStatus["status"] }) {
  return <Badge tone={tones[status]}>{status}</Badge>;
}

/** One date's status in words: seats and prices when available, times otherwise. */
export function FlightStatusDetail({ status }: { status: FlightDateStatus }) {
  const muted = "text-xs text-zinc-600 dark:text-zinc-400";
  switch (status.status) {
    case "available":
      return (
        <span className={muted + " tabular-nums"}>
          seats BE {status.available_seats.basic_economy} · E {status.available_seats.economy} · B {status.available_seats.business}
          {" — "}
          {money(status.prices.basic_economy)} / {money(status.prices.economy)} / {money(status.prices.business)}
        </span>
      );
    case "landed":
      return <span className={muted}>departed {status.actual_departure_time_est} · arrived {status.actual_arrival_time_est}</span>;
    case "flying":
      return <span className={muted}>departed {status.actual_departure_time_est} · est. arrival {status.estimated_arrival_time_est}</span>;
    case "delayed":
    case "on time":
      return <span className={muted}>est. departure {status.estimated_departure_time_est} · est. arrival {status.estimated_arrival_time_est}</span>;
    default:
      return <span className={muted}>—</span>;
  }
}
