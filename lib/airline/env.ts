/**
 * AirlineEnv: one rollout's view of the airline database. Reads go to an overlay of
 * records this rollout changed, falling back to the shared base state, which is never
 * mutated (bases from loadDomainDir / getGeneratedState are deep-frozen). Writes copy
 * the one record they touch into the overlay first and replace, never mutate, nested
 * objects that may still be shared with the base. diff() / stateHash() therefore cost
 * time proportional to what the rollout changed, not to the 7 MB state.
 *
 * Tool semantics follow τ²-bench's airline toolkit (src/tau2/domains/airline/tools.py,
 * release-era behaviour: exact-match id lookups), including what it does not check.
 */
import {
  argArray,
  argCabin,
  argEnum,
  argInt,
  argNumber,
  argString,
  checkKeywordArgs,
  toFlightInfos,
  toPassengers,
  toPayments,
  ToolError,
} from "./args";
import { airportsForState } from "./airports";
import { calculateExpression, CalcError } from "./calculate";
import { canonicalJsonMemo, sha256Hex } from "./canonical";
import { getCachedRead, putCachedRead } from "./read-cache";
import {
  TAU2_NOW,
  type AirlineState,
  type Cabin,
  type Flight,
  type FlightDateAvailable,
  type FlightDateStatus,
  type Payment,
  type PaymentMethod,
  type Reservation,
  type ReservationFlight,
  type StateDiff,
  type User,
} from "./schema";

/** τ²'s reservation id sequence (it allows three new reservations per episode). */
export const NEW_RESERVATION_IDS = ["HATHAT", "HATHAU", "HATHAV"] as const;
/** τ²'s certificate id sequence: "certificate_" + 3221322, 3221323, 3221324 (three per user per episode). */
export const NEW_CERTIFICATE_IDS = ["certificate_3221322", "certificate_3221323", "certificate_3221324"] as const;

export interface ToolResult {
  error: boolean;
  content: string;
  value?: unknown;
}

/** Parameter names of each tool, in τ²'s signature order. */
const PARAMS: Record<string, readonly string[]> = {
  book_reservation: [
    "user_id", "origin", "destination", "flight_type", "cabin", "flights", "passengers",
    "payment_methods", "total_baggages", "nonfree_baggages", "insurance",
  ],
  calculate: ["expression"],
  cancel_reservation: ["reservation_id"],
  get_reservation_details: ["reservation_id"],
  get_user_details: ["user_id"],
  list_all_airports: [],
  search_direct_flight: ["origin", "destination", "date"],
  search_onestop_flight: ["origin", "destination", "date"],
  send_certificate: ["user_id", "amount"],
  transfer_to_human_agents: ["summary"],
  update_reservation_baggages: ["reservation_id", "total_baggages", "nonfree_baggages", "payment_id"],
  update_reservation_flights: ["reservation_id", "cabin", "flights", "payment_id"],
  update_reservation_passengers: ["reservation_id", "passengers"],
  get_flight_status: ["flight_number", "date"],
};

/** Reads answered from the per-base cache when they cannot see this env's overlay (baseReadKey). */
const CACHED_READS = new Set(["get_user_details", "get_reservation_details", "search_direct_flight", "search_onestop_flight"]);

interface BaseIndex {
  flightsByOrigin: Map<string, string[]>;
  airports: { iata: string; city: string }[];
  /** Per origin, the origins a one-stop search from it reads flights of (itself and every first-leg destination); filled lazily. */
  onestopOrigins: Map<string, Set<string>>;
}
const indexCache = new WeakMap<AirlineState, BaseIndex>();

function indexFor(base: AirlineState): BaseIndex {
  let idx = indexCache.get(base);
  if (!idx) {
    const flightsByOrigin = new Map<string, string[]>();
    const codes = new Set<string>();
    for (const [no, f] of Object.entries(base.flights)) {
      let list = flightsByOrigin.get(f.origin);
      if (!list) flightsByOrigin.set(f.origin, (list = []));
      list.push(no);
      codes.add(f.origin);
      codes.add(f.destination);
    }
    idx = { flightsByOrigin, airports: airportsForState(codes), onestopOrigins: new Map() };
    indexCache.set(base, idx);
  }
  return idx;
}

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** The origins whose flights searchOnestop(origin, …) reads: the origin and every destination served from it. */
function onestopOrigins(base: AirlineState, origin: string): ReadonlySet<string> {
  const idx = indexFor(base);
  let set = idx.onestopOrigins.get(origin);
  if (!set) {
    set = new Set([origin]);
    for (const no of idx.flightsByOrigin.get(origin) ?? []) set.add(base.flights[no].destination);
    idx.onestopOrigins.set(origin, set);
  }
  return set;
}

interface DirectFlight {
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

export class AirlineEnv {
  private readonly flights = new Map<string, Flight>();
  private readonly users = new Map<string, User>();
  private readonly reservations = new Map<string, Reservation>();

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
      flights: changed(this.flights, this.base.flights).records,
      users: changed(this.users, this.base.users).records,
      reservations: changed(this.reservations, this.base.reservations).records,
    };
  }

  /**
   * canonicalJson(this.diff()), assembled from each changed record's canonical text
   * (computed once, for the comparison with the base) instead of serialising the diff
   * again; the top-level keys are written in canonical (sorted) order. Two envs on the
   * same base reached the same state iff their texts are equal.
   */
  diffText(): string {
    const flights = changed(this.flights, this.base.flights);
    const reservations = changed(this.reservations, this.base.reservations);
    const users = changed(this.users, this.base.users);
    return `{"flights":${flights.text()},"reservations":${reservations.text()},"users":${users.text()}}`;
  }

  /** sha256 of diffText(), i.e. of canonicalJson(this.diff()). */
  stateHash(): string {
    return sha256Hex(this.diffText());
  }

  // ---- dispatch -----------------------------------------------------------------------
  call(name: string, args: unknown): ToolResult {
    try {
      if (!has(PARAMS, name)) throw new ToolError(`Tool '${name}' not found.`);
      let a: Record<string, unknown>;
      if (args === undefined || args === null) a = {};
      else if (typeof args === "object" && !Array.isArray(args)) a = args as Record<string, unknown>;
      else throw new ToolError("tool arguments must be a JSON object");
      const cacheKey = this.baseReadKey(name, a);
      if (cacheKey !== null) {
        const hit = getCachedRead(this.base, cacheKey);
        if (hit) return { error: false, content: hit.content, value: hit.value };
      }
      checkKeywordArgs(name, PARAMS[name], a);
      const value = this.run(name, a);
      const content = typeof value === "string" ? value : JSON.stringify(value);
      if (cacheKey !== null) return { error: false, ...putCachedRead(this.base, cacheKey, content, value) };
      return { error: false, content, value };
    } catch (e) {
      const msg = e instanceof ToolError || e instanceof CalcError ? e.message : e instanceof Error ? e.message : String(e);
      return { error: true, content: `Error: ${msg}` };
    }
  }

  /**
   * Cache key of a read whose answer is a function of the base state and the arguments
   * alone, or null: the base must be (deep-)frozen, the arguments exactly the tool's
   * parameters, all strings (so argument checks cannot fail), and the record(s) read must
   * not be in this env's overlay. A search reads only the flights departing from its
   * origin (one-stop: also from each first-leg destination), so it needs none of those
   * changed here.
   */
  private baseReadKey(name: string, a: Record<string, unknown>): string | null {
    if (!CACHED_READS.has(name) || !Object.isFrozen(this.base)) return null;
    const params = PARAMS[name];
    if (Object.keys(a).length !== params.length) return null;
    const values: string[] = [];
    for (const p of params) {
      const v = has(a, p) ? a[p] : undefined;
      if (typeof v !== "string") return null;
      values.push(v);
    }
    switch (name) {
      case "get_user_details":
        if (this.users.has(values[0])) return null;
        break;
      case "get_reservation_details":
        if (this.reservations.has(values[0])) return null;
        break;
      case "search_direct_flight":
        if (this.flights.size > 0 && this.changedFlightFrom(new Set([values[0]]))) return null;
        break;
      case "search_onestop_flight":
        if (this.flights.size > 0 && this.changedFlightFrom(onestopOrigins(this.base, values[0]))) return null;
        break;
    }
    return name + JSON.stringify(values);
  }

  /** Has this env changed a flight departing from one of `origins` (the only flights a search from there reads)? */
  private changedFlightFrom(origins: ReadonlySet<string>): boolean {
    for (const [no, f] of this.flights) {
      if (origins.has(has(this.base.flights, no) ? this.base.flights[no].origin : f.origin)) return true;
    }
    return false;
  }

  private run(name: string, a: Record<string, unknown>): unknown {
    switch (name) {
      case "get_user_details":
        return this.userOrThrow(argString(a, "user_id"));
      case "get_reservation_details":
        return reservationView(this.reservationOrThrow(argString(a, "reservation_id")));
      case "list_all_airports":
        return indexFor(this.base).airports;
      case "search_direct_flight":
        return this.searchDirect(argString(a, "date"), argString(a, "origin"), argString(a, "destination"));
      case "search_onestop_flight":
        return this.searchOnestop(argString(a, "origin"), argString(a, "destination"), argString(a, "date"));
      case "get_flight_status":
        return this.flightInstance(argString(a, "flight_number"), argString(a, "date")).status;
      case "calculate":
        return calculateExpression(argString(a, "expression"));
      case "transfer_to_human_agents":
        argString(a, "summary");
        return "Transfer successful";
      case "book_reservation":
        return reservationView(this.book(a));
      case "cancel_reservation":
        return reservationView(this.cancel(argString(a, "reservation_id")));
      case "update_reservation_flights":
        return reservationView(this.updateFlights(a));
      case "update_reservation_baggages":
        return reservationView(this.updateBaggages(a));
      case "update_reservation_passengers":
        return reservationView(this.updatePassengers(a));
      case "send_certificate":
        return this.sendCertificate(argString(a, "user_id"), argNumber(a, "amount"));
    }
    throw new ToolError(`Tool '${name}' not found.`);
  }

  // ---- lookups (τ²'s messages) ----------------------------------------------------------
  private userOrThrow(id: string): User {
    const u = this.getUser(id);
    if (!u) throw new ToolError(`User ${id} not found`);
    return u;
  }
  private reservationOrThrow(id: string): Reservation {
    const r = this.getReservation(id);
    if (!r) throw new ToolError(`Reservation ${id} not found`);
    return r;
  }
  private flightOrThrow(no: string): Flight {
    const f = this.getFlight(no);
    if (!f) throw new ToolError(`Flight ${no} not found`);
    return f;
  }
  private flightInstance(no: string, date: string): FlightDateStatus {
    const f = this.flightOrThrow(no);
    if (!has(f.dates, date)) throw new ToolError(`Flight ${no} not found on date ${date}`);
    return f.dates[date];
  }

  // ---- copy-on-write record access -----------------------------------------------------
  /**
   * A fresh copy of the record's current version, stored in the overlay. Each write call
   * copies again, so every object a call returned stays a stable snapshot.
   */
  private ownUser(id: string): User {
    const cur = this.getUser(id)!;
    const u = { ...cur, payment_methods: { ...cur.payment_methods }, reservations: [...cur.reservations] };
    this.users.set(id, u);
    return u;
  }
  private ownReservation(id: string): Reservation {
    const cur = this.getReservation(id)!;
    const r = { ...cur, flights: [...cur.flights], passengers: [...cur.passengers], payment_history: [...cur.payment_history] };
    this.reservations.set(id, r);
    return r;
  }
  private takeSeats(no: string, date: string, cabin: Cabin, count: number): void {
    const cur = this.getFlight(no)!;
    const d = cur.dates[date] as FlightDateAvailable;
    const dates = { ...cur.dates, [date]: { ...d, available_seats: { ...d.available_seats, [cabin]: d.available_seats[cabin] - count } } };
    this.flights.set(no, { ...cur, dates });
  }
  private setPaymentAmount(user: User, pid: string, amount: number): void {
    const pm = user.payment_methods[pid] as Extract<PaymentMethod, { amount: number }>;
    user.payment_methods[pid] = { ...pm, amount };
  }

  // ---- READ tools ------------------------------------------------------------------------
  private searchDirect(date: string, origin: string | null, destination: string | null, leaveAfter?: string): DirectFlight[] {
    const out: DirectFlight[] = [];
    const candidates = origin === null ? Object.keys(this.base.flights) : (indexFor(this.base).flightsByOrigin.get(origin) ?? []);
    for (const no of candidates) {
      const f = this.getFlight(no)!;
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

  private searchOnestop(origin: string, destination: string, date: string): [DirectFlight, DirectFlight][] {
    const out: [DirectFlight, DirectFlight][] = [];
    for (const leg1 of this.searchDirect(date, origin, null)) {
      leg1.date = date;
      // τ² builds the next day as "2024-05-" + (day + 1) without zero padding, so a
      // "+1" first leg departing 05-01..05-08 finds no second leg; kept on purpose.
      const date2 = leg1.scheduled_arrival_time_est.includes("+1") ? `2024-05-${pyInt(date.slice(-2)) + 1}` : date;
      for (const leg2 of this.searchDirect(date2, leg1.destination, destination, leg1.scheduled_arrival_time_est)) {
        leg2.date = date2;
        out.push([leg1, leg2]);
      }
    }
    return out;
  }

  // ---- WRITE tools ------------------------------------------------------------------------
  private book(a: Record<string, unknown>): Reservation {
    const flightInfos = toFlightInfos(argArray(a, "flights"));
    const passengers = toPassengers(argArray(a, "passengers"));
    const payments = toPayments(argArray(a, "payment_methods"));
    const userId = argString(a, "user_id");
    const user = this.userOrThrow(userId);
    const reservationId = NEW_RESERVATION_IDS.find((id) => !this.getReservation(id));
    if (!reservationId) throw new ToolError("Too many reservations");
    // τ² builds the Reservation model here, which validates these fields.
    const origin = argString(a, "origin");
    const destination = argString(a, "destination");
    const flightType = argEnum(a, "flight_type", ["round_trip", "one_way"] as const, "Reservation");
    const cabin = argCabin(a, "cabin", "Reservation");
    const totalBags = argInt(a, "total_baggages", "Reservation");
    const nonfreeBags = argInt(a, "nonfree_baggages", "Reservation");
    const insurance = argEnum(a, "insurance", ["yes", "no"] as const, "Reservation");

    let total = 0;
    const segments: ReservationFlight[] = [];
    for (const info of flightInfos) {
      const flight = this.flightOrThrow(info.flight_number);
      const d = this.flightInstance(info.flight_number, info.date);
      if (d.status !== "available") throw new ToolError(`Flight ${info.flight_number} not available on date ${info.date}`);
      if (d.available_seats[cabin] < passengers.length) throw new ToolError(`Not enough seats on flight ${info.flight_number}`);
      const price = d.prices[cabin];
      segments.push({ origin: flight.origin, destination: flight.destination, flight_number: info.flight_number, date: info.date, price });
      total += price * passengers.length;
    }
    if (insurance === "yes") total += 30 * passengers.length;
    total += 50 * nonfreeBags;

    for (const p of payments) {
      if (!has(user.payment_methods, p.payment_id)) throw new ToolError(`Payment method ${p.payment_id} not found`);
      const pm = user.payment_methods[p.payment_id];
      if ((pm.source === "gift_card" || pm.source === "certificate") && pm.amount < p.amount) {
        throw new ToolError(`Not enough balance in payment method ${p.payment_id}`);
      }
    }
    const paid = payments.reduce((s, p) => s + p.amount, 0);
    if (paid !== total) throw new ToolError(`Payment amount does not add up, total price is ${total}, but paid ${paid}`);

    // From here τ² mutates as it goes; a certificate listed twice fails on its second
    // use after the first was already removed, leaving the earlier deductions in place.
    const owned = this.ownUser(userId);
    for (const p of payments) {
      if (!has(owned.payment_methods, p.payment_id)) throw new ToolError(`'${p.payment_id}'`);
      const pm = owned.payment_methods[p.payment_id];
      if (pm.source === "gift_card") this.setPaymentAmount(owned, p.payment_id, pm.amount - p.amount);
      else if (pm.source === "certificate") delete owned.payment_methods[p.payment_id];
    }
    for (const s of segments) this.takeSeats(s.flight_number, s.date, cabin, passengers.length);
    const reservation: Reservation = {
      reservation_id: reservationId,
      user_id: userId,
      origin,
      destination,
      flight_type: flightType,
      cabin,
      flights: segments,
      passengers,
      payment_history: payments,
      created_at: TAU2_NOW,
      total_baggages: totalBags,
      nonfree_baggages: nonfreeBags,
      insurance,
      status: null,
    };
    this.reservations.set(reservationId, reservation);
    owned.reservations.push(reservationId);
    return reservation;
  }

  private cancel(id: string): Reservation {
    this.reservationOrThrow(id);
    const r = this.ownReservation(id);
    const refunds = r.payment_history.map((p) => ({ payment_id: p.payment_id, amount: -p.amount }));
    r.payment_history.push(...refunds);
    r.status = "cancelled";
    // τ² does not release seats on cancellation.
    return r;
  }

  /** τ²'s _payment_for_update: checks, debits a gift card, returns the payment to record (none when 0). */
  private paymentForUpdate(userId: string, paymentId: string, amount: number): Payment | null {
    const user = this.getUser(userId)!;
    if (!has(user.payment_methods, paymentId)) throw new ToolError("Payment method not found");
    const pm = user.payment_methods[paymentId];
    if (pm.source === "certificate") throw new ToolError("Certificate cannot be used to update reservation");
    if (pm.source === "gift_card" && pm.amount < amount) throw new ToolError("Gift card balance is not enough");
    if (pm.source === "gift_card") this.setPaymentAmount(this.ownUser(userId), paymentId, pm.amount - amount);
    return amount !== 0 ? { payment_id: paymentId, amount } : null;
  }

  private updateFlights(a: Record<string, unknown>): Reservation {
    const infos = toFlightInfos(argArray(a, "flights"));
    const id = argString(a, "reservation_id");
    const current = this.reservationOrThrow(id);
    this.userOrThrow(current.user_id);
    const cabin = argCabin(a, "cabin", "update_reservation_flights");
    const paymentId = argString(a, "payment_id");
    const pax = current.passengers.length;

    let total = 0;
    const next: ReservationFlight[] = [];
    for (const info of infos) {
      const kept = current.flights.find((f) => f.flight_number === info.flight_number && f.date === info.date && cabin === current.cabin);
      if (kept) {
        total += kept.price * pax;
        next.push(kept);
        continue;
      }
      const flight = this.flightOrThrow(info.flight_number);
      const d = this.flightInstance(info.flight_number, info.date);
      if (d.status !== "available") throw new ToolError(`Flight ${info.flight_number} not available on date ${info.date}`);
      if (d.available_seats[cabin] < pax) throw new ToolError(`Not enough seats on flight ${info.flight_number}`);
      const seg = { flight_number: info.flight_number, date: info.date, price: d.prices[cabin], origin: flight.origin, destination: flight.destination };
      total += seg.price * pax;
      next.push(seg);
    }
    total -= current.flights.reduce((s, f) => s + f.price, 0) * pax;

    const payment = this.paymentForUpdate(current.user_id, paymentId, total);
    const r = this.ownReservation(id);
    if (payment) r.payment_history.push(payment);
    r.flights = next;
    r.cabin = cabin;
    // τ² does not move seats between flights on a change.
    return r;
  }

  private updateBaggages(a: Record<string, unknown>): Reservation {
    const id = argString(a, "reservation_id");
    const current = this.reservationOrThrow(id);
    this.userOrThrow(current.user_id);
    const totalBags = argInt(a, "total_baggages");
    const nonfreeBags = argInt(a, "nonfree_baggages");
    const paymentId = argString(a, "payment_id");
    const charge = 50 * Math.max(0, nonfreeBags - current.nonfree_baggages);
    const payment = this.paymentForUpdate(current.user_id, paymentId, charge);
    const r = this.ownReservation(id);
    if (payment) r.payment_history.push(payment);
    r.total_baggages = totalBags;
    r.nonfree_baggages = nonfreeBags;
    return r;
  }

  private updatePassengers(a: Record<string, unknown>): Reservation {
    const passengers = toPassengers(argArray(a, "passengers"));
    const id = argString(a, "reservation_id");
    const current = this.reservationOrThrow(id);
    if (passengers.length !== current.passengers.length) throw new ToolError("Number of passengers does not match");
    const r = this.ownReservation(id);
    r.passengers = passengers;
    return r;
  }

  private sendCertificate(userId: string, amount: number): string {
    const user = this.userOrThrow(userId);
    for (const pid of NEW_CERTIFICATE_IDS) {
      if (!has(user.payment_methods, pid)) {
        const owned = this.ownUser(userId);
        owned.payment_methods[pid] = { source: "certificate", id: pid, amount };
        return `Certificate ${pid} added to user ${userId} with amount ${amount}.`;
      }
    }
    throw new ToolError("Too many certificates");
  }
}

/** τ²'s Reservation dump always carries `status` (null unless cancelled). */
function reservationView(r: Reservation): Reservation {
  return r.status === undefined ? { ...r, status: null } : r;
}

function pyInt(s: string): number {
  if (!/^\s*[+-]?\d+\s*$/.test(s)) throw new ToolError(`invalid literal for int() with base 10: '${s}'`);
  return parseInt(s, 10);
}

interface Changed<T> {
  /** Overlay records whose content differs from the base record (or that the base lacks), normalised. */
  records: Record<string, T>;
  /** canonicalJson(records), from the texts already computed for the comparison. */
  text(): string;
}

/**
 * The comparison is by canonical text. Base records are deep-frozen and shared by every
 * rollout, so their text is memoised (canonicalJsonMemo); an overlay record is a fresh
 * shallow copy that still shares its untouched nested objects with the base, so its text
 * reuses theirs (a booked flight re-serialises one date entry, not thirty).
 */
function changed<T>(overlay: Map<string, T>, base: Record<string, T>): Changed<T> {
  const records: Record<string, T> = {};
  const texts = new Map<string, string>();
  for (const [id, rec] of overlay) {
    const view = normalise(rec);
    const text = canonicalJsonMemo(view);
    if (has(base, id) && text === canonicalJsonMemo(normaliseBase(base[id]))) continue;
    records[id] = view;
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

/** A missing optional `status` and `status: null` are the same record (pydantic dumps both as null). */
function normalise<T>(rec: T): T {
  const r = rec as unknown as Record<string, unknown>;
  if ("reservation_id" in r && r.status === undefined) return { ...r, status: null } as unknown as T;
  return rec;
}

const normalisedBase = new WeakMap<object, unknown>();
/** normalise() of a base record, made once and frozen so its canonical text is memoised too. */
function normaliseBase<T>(rec: T): T {
  const view = normalise(rec);
  if (view === rec || !Object.isFrozen(rec)) return view;
  const key = rec as unknown as object;
  const hit = normalisedBase.get(key);
  if (hit !== undefined) return hit as T;
  Object.freeze(view);
  normalisedBase.set(key, view);
  return view;
}
