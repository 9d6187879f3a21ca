/** The generated flight network: routes between airports, and each flight's 30 dates with seats, prices and statuses around today. */
import { AIRPORTS } from "./airports";
import { MAX_SEATS, PRICE_RANGES } from "./fares";
import type { Rng } from "../random/prng";
import { type Flight, type FlightDateStatus, TODAY } from "./schema";

export const FIRST_DATE = "2024-05-01";
export const DAYS = 30;

export const pad = (n: number, w = 2): string => String(n).padStart(w, "0");

export function dateAt(dayIndex: number): string {
  return `2024-05-${pad(dayIndex + 1)}`;
}
export const DATES = Array.from({ length: DAYS }, (_, i) => dateAt(i));
const TODAY_INDEX = DATES.indexOf(TODAY);
const NOW_MIN = 15 * 60;

/** "YYYY-MM-DDTHH:MM:SS" for a minute offset from the start of `date` (may roll into the next day). */
export function stamp(date: string, minutes: number): string {
  // Date.UTC carries minute overflow (and negatives) into hours, days and months; no string parse.
  const ms = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)), 0, minutes);
  return new Date(ms).toISOString().slice(0, 19);
}

export function buildRoutes(rng: Rng, routes: number): [string, string][] {
  const codes = AIRPORTS.map((a) => a.iata);
  const metro = new Map(AIRPORTS.map((a) => [a.iata, a.metro]));
  const pairs: [string, string][] = [];
  for (let i = 0; i < codes.length; i++) {
    for (let j = i + 1; j < codes.length; j++) if (metro.get(codes[i]) !== metro.get(codes[j])) pairs.push([codes[i], codes[j]]);
  }
  rng.shuffle(pairs);
  const wanted = Math.max(1, Math.floor(routes / 2));
  // Every airport first gets two partners (so each is connected), then fill at random.
  const chosen: [string, string][] = [];
  const key = (p: [string, string]): string => p.join("-");
  const taken = new Set<string>();
  const degree = new Map(codes.map((c) => [c, 0]));
  for (const c of codes) {
    for (const p of pairs) {
      if ((degree.get(c) ?? 0) >= 2 || chosen.length >= wanted) break;
      if ((p[0] === c || p[1] === c) && !taken.has(key(p))) {
        chosen.push(p);
        taken.add(key(p));
        degree.set(p[0], (degree.get(p[0]) ?? 0) + 1);
        degree.set(p[1], (degree.get(p[1]) ?? 0) + 1);
      }
    }
  }
  for (const p of pairs) {
    if (chosen.length >= wanted) break;
    if (!taken.has(key(p))) {
      chosen.push(p);
      taken.add(key(p));
    }
  }
  const directed: [string, string][] = [];
  for (const [a, b] of chosen) directed.push([a, b], [b, a]);
  if (routes % 2 === 1 && pairs.length > chosen.length) directed.push(pairs.find((p) => !taken.has(key(p)))!);
  return directed.slice(0, Math.max(1, routes));
}

function dateStatus(rng: Rng, dayIndex: number, depMin: number, durMin: number): FlightDateStatus {
  const date = DATES[dayIndex];
  if (dayIndex > TODAY_INDEX) {
    const seats = { basic_economy: rng.int(0, MAX_SEATS), economy: rng.int(0, MAX_SEATS), business: rng.int(0, MAX_SEATS) };
    const prices = {
      basic_economy: rng.int(...PRICE_RANGES.basic_economy),
      economy: rng.int(...PRICE_RANGES.economy),
      business: rng.int(...PRICE_RANGES.business),
    };
    return { status: "available", available_seats: seats, prices };
  }
  const depShift = rng.int(-30, 30);
  const arrShift = depShift + rng.int(-20, 20);
  if (dayIndex < TODAY_INDEX) {
    if (rng.chance(0.09)) return { status: "cancelled" };
    return {
      status: "landed",
      actual_departure_time_est: stamp(date, depMin + depShift),
      actual_arrival_time_est: stamp(date, depMin + durMin + arrShift),
    };
  }
  // Today (15:00 now): the flight's place relative to now decides its status.
  const actualDep = depMin + depShift;
  const actualArr = depMin + durMin + arrShift;
  if (actualArr <= NOW_MIN) {
    return { status: "landed", actual_departure_time_est: stamp(date, actualDep), actual_arrival_time_est: stamp(date, actualArr) };
  }
  if (actualDep <= NOW_MIN) {
    return { status: "flying", actual_departure_time_est: stamp(date, actualDep), estimated_arrival_time_est: stamp(date, actualArr) };
  }
  if (rng.chance(0.42)) {
    const delay = rng.int(30, 300);
    return {
      status: "delayed",
      estimated_departure_time_est: stamp(date, depMin + delay),
      estimated_arrival_time_est: stamp(date, depMin + durMin + delay),
    };
  }
  return {
    status: "on time",
    estimated_departure_time_est: stamp(date, depMin + depShift),
    estimated_arrival_time_est: stamp(date, depMin + durMin + arrShift),
  };
}

export interface FlightMeta {
  no: string;
  origin: string;
  destination: string;
  depMin: number;
  arrMin: number; // may exceed 24 h (next day)
}

export function buildFlights(rng: Rng, count: number, routes: [string, string][]): { flights: Record<string, Flight>; meta: FlightMeta[] } {
  const durations = new Map<string, number>();
  const pairKey = (a: string, b: string): string => [a, b].sort().join("-");
  const flights: Record<string, Flight> = {};
  const meta: FlightMeta[] = [];
  for (let i = 0; i < count; i++) {
    // Every route gets a flight before any gets a second one.
    const [origin, destination] = i < routes.length ? routes[i] : rng.pick(routes);
    const pk = pairKey(origin, destination);
    if (!durations.has(pk)) durations.set(pk, rng.int(2, 12) * 30);
    const dur = durations.get(pk)!;
    const depMin = rng.int(0, 23) * 60;
    const arrMin = depMin + dur;
    const no = `HAT${pad(i + 1, 3)}`;
    const arrText = `${pad(Math.floor(arrMin / 60) % 24)}:${pad(arrMin % 60)}:00${arrMin >= 24 * 60 ? "+1" : ""}`;
    const dates: Record<string, FlightDateStatus> = {};
    for (let d = 0; d < DAYS; d++) dates[DATES[d]] = dateStatus(rng, d, depMin, dur);
    flights[no] = {
      flight_number: no,
      origin,
      destination,
      scheduled_departure_time_est: `${pad(depMin / 60)}:00:00`,
      scheduled_arrival_time_est: arrText,
      dates,
    };
    meta.push({ no, origin, destination, depMin, arrMin });
  }
  return { flights, meta };
}
