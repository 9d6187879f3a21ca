/**
 * Airline domain rules shared by the synthesizer (which computes gold answers from the
 * state) and the simulated agent (which computes its answer from tool results it read in
 * the conversation). Pure functions over plain JSON shapes; nothing here sees a task.
 */
import { createCache } from "../cache/lru";
import type { Cabin, CancelReason, Criterion, PaymentRef, ReservationRef } from "./spec";

export const TODAY = "2024-05-15";
/** Bookings created at or after this instant are inside the 24-hour free-cancellation window. */
export const CANCEL_WINDOW_START = "2024-05-14T15:00:00";

export const FREE_BAGS: Record<string, Record<Cabin, number>> = {
  regular: { basic_economy: 0, economy: 1, business: 2 },
  silver: { basic_economy: 1, economy: 2, business: 3 },
  gold: { basic_economy: 2, economy: 3, business: 4 },
};
export const BAG_FEE = 50;
export const INSURANCE_FEE = 30;

export interface PerCabinNums {
  basic_economy: number;
  economy: number;
  business: number;
}

/** One flight of an itinerary as read from a search result. */
export interface Leg {
  flight_number: string;
  origin: string;
  destination: string;
  date: string;
  dep: string;
  arr: string;
  prices: PerCabinNums;
  seats: PerCabinNums;
}
export type Itinerary = Leg[];

/** Minimal shapes of the records the rules read (τ² JSON). */
export interface ResLike {
  reservation_id: string;
  user_id: string;
  origin: string;
  destination: string;
  flight_type: string;
  cabin: Cabin;
  flights: { flight_number: string; date: string; price: number; origin: string; destination: string }[];
  passengers: { first_name: string; last_name: string; dob: string }[];
  created_at: string;
  total_baggages: number;
  nonfree_baggages: number;
  insurance: string;
  status?: string | null;
}
export interface UserLike {
  user_id: string;
  name: { first_name: string; last_name: string };
  dob: string;
  membership: string;
  payment_methods: Record<string, { source: string; id: string; amount?: number; last_four?: string }>;
  reservations: string[];
}

// ---- time ------------------------------------------------------------------------------
const dayCache = createCache<number>({
  name: "synthesis.day-numbers",
  maxEntries: 4096,
  purpose: "days since the epoch of YYYY-MM-DD dates, asked for in every itinerary check",
});
export function dayNumber(date: string): number {
  let d = dayCache.get(date);
  if (d === undefined) {
    d = Math.round(Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / 86_400_000);
    dayCache.set(date, d);
  }
  return d;
}
/** "HH:MM:SS" or "HH:MM:SS+1" → minutes after midnight of the flight's date. */
export function clockMinutes(t: string): number {
  const plus = t.indexOf("+");
  const extraDays = plus >= 0 ? Number(t.slice(plus + 1)) || 0 : 0;
  return Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5)) + extraDays * 1440;
}
export function departMinute(it: Itinerary): number {
  return dayNumber(it[0].date) * 1440 + clockMinutes(it[0].dep);
}
export function arriveMinute(it: Itinerary): number {
  const last = it[it.length - 1];
  return dayNumber(last.date) * 1440 + clockMinutes(last.arr);
}

// ---- search results ----------------------------------------------------------------------
function asLeg(raw: unknown, fallbackDate: string): Leg | null {
  if (!raw || typeof raw !== "object") return null;
  const r = raw as Record<string, unknown>;
  if (typeof r.flight_number !== "string" || !r.prices || !r.available_seats) return null;
  return {
    flight_number: r.flight_number,
    origin: String(r.origin),
    destination: String(r.destination),
    date: typeof r.date === "string" ? r.date : fallbackDate,
    dep: String(r.scheduled_departure_time_est),
    arr: String(r.scheduled_arrival_time_est),
    prices: r.prices as PerCabinNums,
    seats: r.available_seats as PerCabinNums,
  };
}

/** Itineraries from a search_direct_flight or search_onestop_flight result (parsed JSON). */
export function itinerariesFromSearch(result: unknown, date: string): Itinerary[] {
  if (!Array.isArray(result)) return [];
  const out: Itinerary[] = [];
  for (const item of result) {
    if (Array.isArray(item)) {
      const a = asLeg(item[0], date);
      if (!a) continue;
      const nextDay = a.arr.includes("+1") ? addDays(a.date, 1) : a.date;
      const b = asLeg(item[1], nextDay);
      if (b) out.push([a, b]);
    } else {
      const leg = asLeg(item, date);
      if (leg) out.push([leg]);
    }
  }
  return out;
}

export function addDays(date: string, n: number): string {
  const d = new Date(Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10) + n));
  return d.toISOString().slice(0, 10);
}

export function itineraryKey(it: Itinerary): string {
  return it.map((l) => `${l.flight_number}@${l.date}`).join(">");
}
export function pricePerPassenger(it: Itinerary, cabin: Cabin): number {
  let s = 0;
  for (const l of it) s += l.prices[cabin];
  return s;
}
export function hasSeats(it: Itinerary, cabin: Cabin, n: number): boolean {
  return it.every((l) => l.seats[cabin] >= n);
}

/** The value an itinerary is ranked by (lower is better). */
export function criterionValue(it: Itinerary, criterion: Criterion, cabin: Cabin): number {
  switch (criterion) {
    case "cheapest":
      return pricePerPassenger(it, cabin);
    case "fastest":
      return arriveMinute(it) - departMinute(it);
    case "earliest_arrival":
      return arriveMinute(it);
  }
}

/** Feasible itineraries ranked best first; ties keep their input order (callers reject ties). */
export function rankItineraries(its: Itinerary[], criterion: Criterion, cabin: Cabin, passengers: number): { it: Itinerary; value: number }[] {
  const ranked = its.filter((it) => hasSeats(it, cabin, passengers)).map((it) => ({ it, value: criterionValue(it, criterion, cabin) }));
  ranked.sort((a, b) => a.value - b.value);
  return ranked;
}

// ---- reservations ------------------------------------------------------------------------
export function isActive(r: ResLike): boolean {
  return r.status !== "cancelled";
}
export function allFuture(r: ResLike): boolean {
  return r.flights.every((f) => f.date > TODAY);
}

/** Does reservation r match a descriptive reference (ids match by equality)? */
export function matchesRef(r: ResLike, ref: ReservationRef, all: readonly ResLike[]): boolean {
  switch (ref.by) {
    case "id":
      return r.reservation_id === ref.id;
    case "route":
      return isActive(r) && r.origin === ref.origin && r.destination === ref.destination;
    case "date":
      return isActive(r) && r.flights.some((f) => f.date === ref.date);
    case "most_recent": {
      if (!isActive(r)) return false;
      return all.every((o) => o === r || !isActive(o) || o.created_at < r.created_at);
    }
  }
}

export function findByRef(ref: ReservationRef, all: readonly ResLike[]): ResLike[] {
  return all.filter((r) => matchesRef(r, ref, all));
}

// ---- policy ---------------------------------------------------------------------------------
export function cancelAllowed(r: ResLike, reason: CancelReason): { ok: boolean; why: string } {
  if (!isActive(r)) return { ok: false, why: "the reservation is already cancelled" };
  if (!allFuture(r)) return { ok: false, why: "part of the trip has already been flown" };
  if (r.created_at >= CANCEL_WINDOW_START) return { ok: true, why: "booked within the last 24 hours" };
  if (r.cabin === "business") return { ok: true, why: "business class" };
  if (r.insurance === "yes" && (reason === "health" || reason === "weather")) return { ok: true, why: "insured and the reason is covered" };
  return { ok: false, why: "it is not eligible for cancellation under the policy" };
}

export function changeFlightsAllowed(r: ResLike): { ok: boolean; why: string } {
  if (!isActive(r)) return { ok: false, why: "the reservation is cancelled" };
  if (r.cabin === "basic_economy") return { ok: false, why: "basic economy reservations cannot be modified" };
  if (!allFuture(r)) return { ok: false, why: "part of the trip has already been flown" };
  return { ok: true, why: "" };
}

export function compensationAllowed(r: ResLike, u: UserLike): { ok: boolean; why: string } {
  if (u.membership === "silver" || u.membership === "gold" || r.insurance === "yes" || r.cabin === "business") return { ok: true, why: "" };
  return { ok: false, why: "regular members without insurance flying (basic) economy are not eligible for compensation" };
}

export function freeBagsPerPassenger(membership: string, cabin: Cabin): number {
  return (FREE_BAGS[membership] ?? FREE_BAGS.regular)[cabin];
}
export function nonfreeBags(total: number, membership: string, cabin: Cabin, passengers: number): number {
  return Math.max(0, total - freeBagsPerPassenger(membership, cabin) * passengers);
}

export function bookingTotal(its: Itinerary[], cabin: Cabin, passengers: number, insurance: "yes" | "no", nonfree: number): number {
  let s = 0;
  for (const it of its) s += pricePerPassenger(it, cabin) * passengers;
  if (insurance === "yes") s += INSURANCE_FEE * passengers;
  return s + BAG_FEE * nonfree;
}

/** The payment method id a PaymentRef denotes for this user, given the amount to pay (null when none/ambiguous). */
export function resolvePayment(u: UserLike, ref: PaymentRef, amount: number): string | null {
  const methods = Object.values(u.payment_methods);
  switch (ref.kind) {
    case "id":
      return u.payment_methods[ref.id] ? ref.id : null;
    case "credit_card": {
      const m = methods.filter((p) => p.source === "credit_card" && p.last_four === ref.last_four);
      return m.length === 1 ? m[0].id : null;
    }
    case "gift_card_enough": {
      const m = methods.filter((p) => p.source === "gift_card" && (p.amount ?? 0) >= amount);
      return m.length === 1 ? m[0].id : null;
    }
  }
}

/** Amounts as the agent says them and as communicate_info stores them ("1234" or "12.5"). */
export function formatAmount(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100);
}
