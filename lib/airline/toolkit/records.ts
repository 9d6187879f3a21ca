/**
 * One rollout's records: an overlay of the records this rollout changed over the shared
 * base state, which is never mutated (bases from loadDomainDir / getGeneratedState are
 * deep-frozen). Writes copy the one record they touch into the overlay first and replace,
 * never mutate, nested objects that may still be shared with the base. diff() /
 * stateHash() therefore cost time proportional to what the rollout changed, not to the
 * 7 MB state. The tools (writes.ts, airline-env.ts) build on this class.
 */
import { ToolError } from "../args";
import { canonicalJsonMemo, sha256Hex } from "../canonical";
import type { AirlineState, Cabin, Flight, FlightDateAvailable, FlightDateStatus, PaymentMethod, Reservation, StateDiff, User } from "../schema";

export const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** τ²'s Reservation dump always carries `status` (null unless cancelled). */
export function reservationView(r: Reservation): Reservation {
  return r.status === undefined ? { ...r, status: null } : r;
}

/** A record as it is compared and dumped; only reservations differ from their stored form. */
const asStored = <T>(rec: T): T => rec;

export class AirlineRecords {
  protected readonly flights = new Map<string, Flight>();
  protected readonly users = new Map<string, User>();
  protected readonly reservations = new Map<string, Reservation>();

  constructor(readonly base: AirlineState) {}

  // ---- read views ----------------------------------------------------------------------
  getUser(id: string): User | undefined {
    return this.users.get(id) ?? (has(this.base.users, id) ? this.base.users[id] : undefined);
  }
  getReservation(id: string): Reservation | undefined {
    return this.reservations.get(id) ?? (has(this.base.reservations, id) ? this.base.reservations[id] : undefined);
  }
  getFlight(no: string): Flight | undefined {
    return this.flights.get(no) ?? (has(this.base.flights, no) ? this.base.flights[no] : undefined);
  }

  // ---- diff and hash ------------------------------------------------------------------
  diff(): StateDiff {
    return {
      flights: changed(this.flights, this.base.flights, asStored).records,
      users: changed(this.users, this.base.users, asStored).records,
      reservations: changed(this.reservations, this.base.reservations, reservationView).records,
    };
  }

  /**
   * canonicalJson(this.diff()), assembled from each changed record's canonical text
   * (computed once, for the comparison with the base) instead of serialising the diff
   * again; the top-level keys are written in canonical (sorted) order. Two envs on the
   * same base reached the same state iff their texts are equal.
   */
  diffText(): string {
    const flights = changed(this.flights, this.base.flights, asStored);
    const reservations = changed(this.reservations, this.base.reservations, reservationView);
    const users = changed(this.users, this.base.users, asStored);
    return `{"flights":${flights.text()},"reservations":${reservations.text()},"users":${users.text()}}`;
  }

  /** sha256 of diffText(), i.e. of canonicalJson(this.diff()). */
  stateHash(): string {
    return sha256Hex(this.diffText());
  }

  // ---- lookups (τ²'s messages) ----------------------------------------------------------
  protected userOrThrow(id: string): User {
    const u = this.getUser(id);
    if (!u) throw new ToolError(`User ${id} not found`);
    return u;
  }
  protected reservationOrThrow(id: string): Reservation {
    const r = this.getReservation(id);
    if (!r) throw new ToolError(`Reservation ${id} not found`);
    return r;
  }
  protected flightOrThrow(no: string): Flight {
    const f = this.getFlight(no);
    if (!f) throw new ToolError(`Flight ${no} not found`);
    return f;
  }
  protected flightInstance(no: string, date: string): FlightDateStatus {
    const f = this.flightOrThrow(no);
    if (!has(f.dates, date)) throw new ToolError(`Flight ${no} not found on date ${date}`);
    return f.dates[date];
  }

  // ---- copy-on-write record access -----------------------------------------------------
  /**
   * A fresh copy of the record's current version, stored in the overlay. Each write call
   * copies again, so every object a call returned stays a stable snapshot.
   */
  protected ownUser(id: string): User {
    const cur = this.getUser(id)!;
    const u = { ...cur, payment_methods: { ...cur.payment_methods }, reservations: [...cur.reservations] };
    this.users.set(id, u);
    return u;
  }
  protected ownReservation(id: string): Reservation {
    const cur = this.getReservation(id)!;
    const r = { ...cur, flights: [...cur.flights], passengers: [...cur.passengers], payment_history: [...cur.payment_history] };
    this.reservations.set(id, r);
    return r;
  }
  protected takeSeats(no: string, date: string, cabin: Cabin, count: number): void {
    const cur = this.getFlight(no)!;
    const d = cur.dates[date] as FlightDateAvailable;
    const dates = { ...cur.dates, [date]: { ...d, available_seats: { ...d.available_seats, [cabin]: d.available_seats[cabin] - count } } };
    this.flights.set(no, { ...cur, dates });
  }
  protected setPaymentAmount(user: User, pid: string, amount: number): void {
    const pm = user.payment_methods[pid] as Extract<PaymentMethod, { amount: number }>;
    user.payment_methods[pid] = { ...pm, amount };
  }
}

interface Changed<T> {
  /** Overlay records whose content differs from the base record (or that the base lacks), as dumped. */
  records: Record<string, T>;
  /** canonicalJson(records), from the texts already computed for the comparison. */
  text(): string;
}

/**
 * The comparison is by canonical text of each record as dumped (`view`: a missing optional
 * reservation `status` and `status: null` are the same record, as pydantic dumps both as
 * null). Base records are deep-frozen and shared by every rollout, so their text is
 * memoised (canonicalJsonMemo); an overlay record is a fresh shallow copy that still shares
 * its untouched nested objects with the base, so its text reuses theirs (a booked flight
 * re-serialises one date entry, not thirty).
 */
function changed<T extends object>(overlay: Map<string, T>, base: Record<string, T>, view: (rec: T) => T): Changed<T> {
  const records: Record<string, T> = {};
  const texts = new Map<string, string>();
  for (const [id, rec] of overlay) {
    const shown = view(rec);
    const text = canonicalJsonMemo(shown);
    if (has(base, id) && text === canonicalJsonMemo(baseView(base[id], view))) continue;
    records[id] = shown;
    texts.set(id, text);
  }
  return {
    records,
    text() {
      // Same walk as canonicalJson(records): own keys, sorted.
      const keys = Object.keys(records).sort();
      let out = "{";
      for (let i = 0; i < keys.length; i++) out += (i > 0 ? "," : "") + JSON.stringify(keys[i]) + ":" + texts.get(keys[i]);
      return out + "}";
    },
  };
}

// Keyed by the frozen base record itself, so it lives exactly as long as the base.
const baseViews = new WeakMap<object, object>();
/** view() of a base record, made once and frozen so its canonical text is memoised too. */
function baseView<T extends object>(rec: T, view: (rec: T) => T): T {
  const shown = view(rec);
  if (shown === rec || !Object.isFrozen(rec)) return shown;
  const hit = baseViews.get(rec);
  if (hit !== undefined) return hit as T;
  Object.freeze(shown);
  baseViews.set(rec, shown);
  return shown;
}
