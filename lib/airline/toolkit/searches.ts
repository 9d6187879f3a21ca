/** The flight search tools (τ²'s search_direct_flight / search_onestop_flight) over one rollout's records. */
import { ToolError } from "../args";
import type { FlightDateAvailable } from "../schema";
import { indexFor } from "./base-index";
import { has, type AirlineRecords } from "./records";

export interface DirectFlight {
  flight_number: string;
  origin: string;
  destination: string;
  status: "available";
  scheduled_departure_time_est: string;
  scheduled_arrival_time_est: string;
  date: string | null;
  available_seats: FlightDateAvailable["available_seats"];
  prices: FlightDateAvailable["prices"];
}

export function searchDirect(
  records: AirlineRecords,
  date: string,
  origin: string | null,
  destination: string | null,
  leaveAfter?: string,
): DirectFlight[] {
  const out: DirectFlight[] = [];
  const candidates = origin === null ? Object.keys(records.base.flights) : (indexFor(records.base).flightsByOrigin.get(origin) ?? []);
  for (const no of candidates) {
    const f = records.getFlight(no)!;
    if (destination !== null && f.destination !== destination) continue;
    if (!has(f.dates, date)) continue;
    const d = f.dates[date];
    if (d.status !== "available") continue;
    if (leaveAfter !== undefined && !(f.scheduled_departure_time_est >= leaveAfter)) continue;
    out.push({
      flight_number: f.flight_number,
      origin: f.origin,
      destination: f.destination,
      status: "available",
      scheduled_departure_time_est: f.scheduled_departure_time_est,
      scheduled_arrival_time_est: f.scheduled_arrival_time_est,
      date: null,
      available_seats: d.available_seats,
      prices: d.prices,
    });
  }
  return out;
}

export function searchOnestop(records: AirlineRecords, origin: string, destination: string, date: string): [DirectFlight, DirectFlight][] {
  const out: [DirectFlight, DirectFlight][] = [];
  for (const leg1 of searchDirect(records, date, origin, null)) {
    leg1.date = date;
    // τ² builds the next day as "2024-05-" + (day + 1) without zero padding, so a
    // "+1" first leg departing 05-01..05-08 finds no second leg; kept on purpose.
    const date2 = leg1.scheduled_arrival_time_est.includes("+1") ? `2024-05-${pyInt(date.slice(-2)) + 1}` : date;
    for (const leg2 of searchDirect(records, date2, leg1.destination, destination, leg1.scheduled_arrival_time_est)) {
      leg2.date = date2;
      out.push([leg1, leg2]);
    }
  }
  return out;
}

function pyInt(s: string): number {
  if (!/^\s*[+-]?\d+\s*$/.test(s)) throw new ToolError(`invalid literal for int() with base 10: '${s}'`);
  return parseInt(s, 10);
}
