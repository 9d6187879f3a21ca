/**
 * Invariants an airline state should satisfy (the generator's output always does; τ²'s own
 * database has a few known exceptions). Returns human-readable problems; empty = consistent.
 */
import type { AirlineState } from "./schema";

export function checkStateConsistency(state: AirlineState, limit = 200): string[] {
  const problems: string[] = [];
  const add = (p: string): void => {
    if (problems.length < limit) problems.push(p);
  };
  for (const [no, f] of Object.entries(state.flights)) {
    if (f.flight_number !== no) add(`flight ${no}: flight_number is ${f.flight_number}`);
    if (f.origin === f.destination) add(`flight ${no}: origin equals destination`);
    for (const [date, d] of Object.entries(f.dates)) {
      if (d.status !== "available") continue;
      for (const [cabin, n] of Object.entries(d.available_seats)) if (n < 0) add(`flight ${no} ${date}: negative ${cabin} seats (${n})`);
      for (const [cabin, p] of Object.entries(d.prices)) if (!(p > 0)) add(`flight ${no} ${date}: ${cabin} price ${p}`);
    }
  }
  for (const [id, u] of Object.entries(state.users)) {
    if (u.user_id !== id) add(`user ${id}: user_id is ${u.user_id}`);
    for (const [pid, pm] of Object.entries(u.payment_methods)) {
      if (pm.id !== pid) add(`user ${id}: payment method key ${pid} has id ${pm.id}`);
      if (pm.source !== "credit_card" && pm.amount < 0) add(`user ${id}: ${pid} has a negative balance`);
    }
    for (const rid of u.reservations) {
      const r = state.reservations[rid];
      if (!r) add(`user ${id}: reservation ${rid} does not exist`);
      else if (r.user_id !== id) add(`user ${id}: reservation ${rid} belongs to ${r.user_id}`);
    }
  }
  for (const [id, r] of Object.entries(state.reservations)) {
    if (r.reservation_id !== id) add(`reservation ${id}: reservation_id is ${r.reservation_id}`);
    const u = state.users[r.user_id];
    if (!u) add(`reservation ${id}: user ${r.user_id} does not exist`);
    else if (!u.reservations.includes(id)) add(`reservation ${id}: not listed on user ${r.user_id}`);
    if (r.passengers.length < 1 || r.passengers.length > 5) add(`reservation ${id}: ${r.passengers.length} passengers`);
    if (r.flights.length === 0) add(`reservation ${id}: no flights`);
    r.flights.forEach((seg, i) => {
      const f = state.flights[seg.flight_number];
      if (!f) return add(`reservation ${id}: flight ${seg.flight_number} does not exist`);
      if (f.origin !== seg.origin || f.destination !== seg.destination) add(`reservation ${id}: segment ${i} route differs from flight ${seg.flight_number}`);
      if (!(seg.date in f.dates)) add(`reservation ${id}: flight ${seg.flight_number} has no date ${seg.date}`);
      const next = r.flights[i + 1];
      if (next && next.origin !== seg.destination && !(r.flight_type === "round_trip" && seg.destination === r.destination)) {
        add(`reservation ${id}: segment ${i + 1} does not continue from ${seg.destination}`);
      }
      if (next && next.date < seg.date) add(`reservation ${id}: segment ${i + 1} is dated before segment ${i}`);
    });
    if (r.flights.length > 0) {
      if (r.flights[0].origin !== r.origin) add(`reservation ${id}: first segment does not leave from ${r.origin}`);
      const last = r.flights[r.flights.length - 1];
      const end = r.flight_type === "round_trip" ? r.origin : r.destination;
      if (last.destination !== end) add(`reservation ${id}: last segment does not end at ${end}`);
      if (r.created_at.slice(0, 10) > r.flights[0].date) add(`reservation ${id}: created after its first flight`);
    }
    const pax = r.passengers.length;
    const due = r.flights.reduce((s, f) => s + f.price, 0) * pax + (r.insurance === "yes" ? 30 * pax : 0) + 50 * r.nonfree_baggages;
    const paid = r.payment_history.reduce((s, p) => s + p.amount, 0);
    if (r.status !== "cancelled" && paid !== due) add(`reservation ${id}: payments ${paid} differ from price ${due}`);
    if (r.nonfree_baggages > r.total_baggages) add(`reservation ${id}: more non-free bags than bags`);
  }
  return problems;
}
