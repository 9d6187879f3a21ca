/**
 * Server-side search over an airline state for the Environment pages and API: users,
 * reservations and flights with substring / exact filters and offset pagination. Sorted
 * id lists are computed once per state (WeakMap) so a search over 2,000 reservations is
 * one linear scan, no sort.
 */
import type { AirlineState, Flight, FlightDateStatus, Reservation, User } from "../airline";

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 200;

export interface PageRequest {
  /** 1-based. */
  page?: number;
  pageSize?: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

interface SortedIds {
  users: string[];
  reservations: string[];
  flights: string[];
}
const sortedCache = new WeakMap<AirlineState, SortedIds>();

function sortedIds(state: AirlineState): SortedIds {
  let ids = sortedCache.get(state);
  if (!ids) {
    ids = {
      users: Object.keys(state.users).sort(),
      reservations: Object.keys(state.reservations).sort(),
      flights: Object.keys(state.flights).sort(),
    };
    sortedCache.set(state, ids);
  }
  return ids;
}

export function paginate<T>(all: readonly T[], req: PageRequest = {}): Page<T> {
  const pageSize = Math.min(Math.max(Math.trunc(req.pageSize ?? DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE);
  const pageCount = Math.max(1, Math.ceil(all.length / pageSize));
  const page = Math.min(Math.max(Math.trunc(req.page ?? 1), 1), pageCount);
  const start = (page - 1) * pageSize;
  return { items: all.slice(start, start + pageSize), total: all.length, page, pageSize, pageCount };
}

const norm = (s: string | undefined) => (s ?? "").trim().toLowerCase();

// ---- users -----------------------------------------------------------------------------

export interface UserSummary {
  user_id: string;
  name: string;
  email: string;
  membership: User["membership"];
  reservations: number;
}

export function summarizeUser(u: User): UserSummary {
  return {
    user_id: u.user_id,
    name: `${u.name.first_name} ${u.name.last_name}`,
    email: u.email,
    membership: u.membership,
    reservations: u.reservations.length,
  };
}

/** Users whose id, full name or email contains `q` (case-insensitive); everyone when q is empty. */
export function searchUsers(state: AirlineState, opts: { q?: string } & PageRequest = {}): Page<UserSummary> {
  const q = norm(opts.q);
  const hits: UserSummary[] = [];
  for (const id of sortedIds(state).users) {
    const u = state.users[id];
    if (q) {
      const hay = `${u.user_id}\n${u.name.first_name} ${u.name.last_name}\n${u.email}`.toLowerCase();
      if (!hay.includes(q)) continue;
    }
    hits.push(summarizeUser(u));
  }
  return paginate(hits, opts);
}

// ---- reservations ------------------------------------------------------------------------

export const RESERVATION_STATUSES = ["active", "cancelled"] as const;
export type ReservationStatusFilter = (typeof RESERVATION_STATUSES)[number];

export interface ReservationSummary {
  reservation_id: string;
  user_id: string;
  origin: string;
  destination: string;
  flight_type: Reservation["flight_type"];
  cabin: Reservation["cabin"];
  first_date: string | null;
  passengers: number;
  created_at: string;
  status: ReservationStatusFilter;
}

export function reservationStatus(r: Reservation): ReservationStatusFilter {
  return r.status === "cancelled" ? "cancelled" : "active";
}

export function summarizeReservation(r: Reservation): ReservationSummary {
  const dates = r.flights.map((f) => f.date).sort();
  return {
    reservation_id: r.reservation_id,
    user_id: r.user_id,
    origin: r.origin,
    destination: r.destination,
    flight_type: r.flight_type,
    cabin: r.cabin,
    first_date: dates[0] ?? null,
    passengers: r.passengers.length,
    created_at: r.created_at,
    status: reservationStatus(r),
  };
}

/**
 * Reservations filtered by id substring (`q`), exact owner (`user`) and status. With a
 * user the scan covers only that user's reservation list.
 */
export function searchReservations(
  state: AirlineState,
  opts: { q?: string; user?: string; status?: ReservationStatusFilter } & PageRequest = {},
): Page<ReservationSummary> {
  const q = norm(opts.q);
  const user = opts.user?.trim();
  let ids: readonly string[];
  if (user) {
    const owner = state.users[user];
    ids = owner ? [...owner.reservations].filter((id) => state.reservations[id]).sort() : [];
  } else {
    ids = sortedIds(state).reservations;
  }
  const hits: ReservationSummary[] = [];
  for (const id of ids) {
    const r = state.reservations[id];
    if (user && r.user_id !== user) continue;
    if (q && !r.reservation_id.toLowerCase().includes(q)) continue;
    if (opts.status && reservationStatus(r) !== opts.status) continue;
    hits.push(summarizeReservation(r));
  }
  return paginate(hits, opts);
}

// ---- flights -------------------------------------------------------------------------------

export interface FlightSummary {
  flight_number: string;
  origin: string;
  destination: string;
  scheduled_departure_time_est: string;
  scheduled_arrival_time_est: string;
  /** The status on the searched date (null when no date was given or the flight does not fly that day). */
  date: string | null;
  date_status: FlightDateStatus | null;
  /** How many dates the flight has a record for. */
  dates: number;
}

export function summarizeFlight(f: Flight, date?: string): FlightSummary {
  return {
    flight_number: f.flight_number,
    origin: f.origin,
    destination: f.destination,
    scheduled_departure_time_est: f.scheduled_departure_time_est,
    scheduled_arrival_time_est: f.scheduled_arrival_time_est,
    date: date ?? null,
    date_status: date ? (f.dates[date] ?? null) : null,
    dates: Object.keys(f.dates).length,
  };
}

/**
 * Flights by exact origin / destination (IATA, case-insensitive), flight-number substring
 * and date: with a date only flights that have a record on that day are listed, each with
 * that day's status.
 */
export function searchFlights(
  state: AirlineState,
  opts: { origin?: string; destination?: string; date?: string; number?: string } & PageRequest = {},
): Page<FlightSummary> {
  const origin = opts.origin?.trim().toUpperCase();
  const destination = opts.destination?.trim().toUpperCase();
  const date = opts.date?.trim() || undefined;
  const num = norm(opts.number);
  const hits: FlightSummary[] = [];
  for (const no of sortedIds(state).flights) {
    const f = state.flights[no];
    if (origin && f.origin !== origin) continue;
    if (destination && f.destination !== destination) continue;
    if (num && !f.flight_number.toLowerCase().includes(num)) continue;
    if (date && !f.dates[date]) continue;
    hits.push(summarizeFlight(f, date));
  }
  return paginate(hits, opts);
}

/** A flight's statuses in date order (for the flight page). */
export function flightStatusesByDate(f: Flight): { date: string; status: FlightDateStatus }[] {
  return Object.keys(f.dates)
    .sort()
    .map((date) => ({ date, status: f.dates[date] }));
}

/** Reservations that include a flight (optionally on one date), newest id order. */
export function reservationsOnFlight(state: AirlineState, flightNumber: string, date?: string): ReservationSummary[] {
  const out: ReservationSummary[] = [];
  for (const id of sortedIds(state).reservations) {
    const r = state.reservations[id];
    if (r.flights.some((f) => f.flight_number === flightNumber && (!date || f.date === date))) out.push(summarizeReservation(r));
  }
  return out;
}

/** Airports that appear in the state's flights, sorted (for the route search pickers). */
export function listStateAirports(state: AirlineState): string[] {
  const set = new Set<string>();
  for (const f of Object.values(state.flights)) {
    set.add(f.origin);
    set.add(f.destination);
  }
  return [...set].sort();
}

/** Dates that appear in any flight's records, sorted. */
export function listStateDates(state: AirlineState): string[] {
  const set = new Set<string>();
  for (const f of Object.values(state.flights)) for (const d of Object.keys(f.dates)) set.add(d);
  return [...set].sort();
}

export function countState(state: AirlineState): { users: number; reservations: number; flights: number } {
  const ids = sortedIds(state);
  return { users: ids.users.length, reservations: ids.reservations.length, flights: ids.flights.length };
}
