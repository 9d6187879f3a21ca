/**
 * The env's caches change nothing observable. Random tool sequences run on two envs: one
 * over the deep-frozen generated base (read cache and memoised canonical texts in play)
 * and one over an unfrozen deep copy of it (no cache can engage). Every result, the diff
 * and the state hash must agree, and the hash must equal a from-scratch canonical hash of
 * the diff. canonicalJsonMemo must equal canonicalJson, including when an unfrozen object
 * sits under a frozen one and changes between calls.
 */
import { describe, expect, it } from "vitest";
import { canonicalJson, canonicalJsonMemo, hashCanonical } from "../canonical";
import { AirlineEnv } from "./airline-env";
import { deepFreeze } from "../freeze";
import { getGeneratedState } from "../generate";
import { createRng, type Rng } from "../../random/prng";
import type { AirlineState, Cabin, FlightDateAvailable } from "../schema";

const base = getGeneratedState();
const unfrozen: AirlineState = structuredClone(base);

/** The diff as the env computed it before the canonical-text caching (reference). */
function referenceDiff(env: AirlineEnv, baseState: AirlineState) {
  const norm = (r: unknown) => {
    const o = r as Record<string, unknown>;
    return "reservation_id" in o && o.status === undefined ? { ...o, status: null } : o;
  };
  const out: Record<string, Record<string, unknown>> = { flights: {}, users: {}, reservations: {} };
  for (const kind of ["flights", "users", "reservations"] as const) {
    const overlay = (env as unknown as Record<string, Map<string, unknown>>)[kind];
    const b = baseState[kind] as Record<string, unknown>;
    for (const [id, rec] of overlay) {
      if (Object.prototype.hasOwnProperty.call(b, id) && canonicalJson(norm(rec)) === canonicalJson(norm(b[id]))) continue;
      out[kind][id] = norm(rec);
    }
  }
  return out;
}

interface Pool {
  users: string[];
  reservations: string[];
  flights: AirlineState["flights"][string][];
}

/** A few records per sequence, so its reads and writes keep hitting the same ones (and the caches' overlay checks). */
function randomPool(rng: Rng): Pool {
  const users = Array.from({ length: 3 }, () => rng.pick(Object.keys(base.users)));
  const reservations = [...users.flatMap((u) => base.users[u].reservations.slice(0, 2)), rng.pick(Object.keys(base.reservations))];
  const flightList = Object.values(base.flights);
  const flights = Array.from({ length: 3 }, () => rng.pick(flightList));
  // Some of the users' own flights, so bookings and searches meet.
  for (const id of reservations) for (const f of base.reservations[id]?.flights ?? []) flights.push(base.flights[f.flight_number]);
  return { users, reservations, flights };
}

function randomCall(rng: Rng, env: AirlineEnv, pool: Pool): [string, Record<string, unknown>] {
  const { users, reservations, flights } = pool;
  const user = () => (rng.chance(0.05) ? "nobody_0000" : rng.pick(users));
  const res = () => (rng.chance(0.1) ? rng.pick(["HATHAT", "HATHAU", "ZZZZZZ"]) : rng.pick(reservations));
  const cabin = (): Cabin => rng.pick(["basic_economy", "economy", "business"] as const);
  const flight = rng.pick(flights);
  const dates = Object.keys(flight.dates);
  const date = rng.pick(dates);
  switch (rng.int(0, 10)) {
    case 0:
      return ["get_user_details", { user_id: user() }];
    case 1:
      return ["get_reservation_details", { reservation_id: res() }];
    case 2:
      return ["search_direct_flight", { origin: flight.origin, destination: flight.destination, date }];
    case 3:
      return ["search_onestop_flight", { origin: flight.origin, destination: rng.pick(flights).destination, date }];
    case 4:
      return ["get_flight_status", { flight_number: flight.flight_number, date }];
    case 5: {
      const uid = user();
      const u = env.getUser(uid);
      const c = cabin();
      const d = flight.dates[date] as FlightDateAvailable;
      const pax = rng.int(1, 2);
      const price = d.status === "available" ? d.prices[c] * pax : 100;
      const pm = u ? Object.values(u.payment_methods).find((p) => p.source !== "certificate") : undefined;
      return [
        "book_reservation",
        {
          user_id: uid,
          origin: flight.origin,
          destination: flight.destination,
          flight_type: "one_way",
          cabin: c,
          flights: [{ flight_number: flight.flight_number, date }],
          passengers: Array.from({ length: pax }, (_, i) => ({ first_name: `P${i}`, last_name: "Test", dob: "1990-01-01" })),
          payment_methods: [{ payment_id: pm?.id ?? "credit_card_0", amount: rng.chance(0.9) ? price : price + 1 }],
          total_baggages: 1,
          nonfree_baggages: 0,
          insurance: "no",
        },
      ];
    }
    case 6:
      return ["cancel_reservation", { reservation_id: res() }];
    case 7: {
      const id = res();
      const r = env.getReservation(id);
      const u = r ? env.getUser(r.user_id) : undefined;
      const pm = u ? rng.pick(Object.keys(u.payment_methods)) : "credit_card_0";
      return ["update_reservation_baggages", { reservation_id: id, total_baggages: rng.int(0, 4), nonfree_baggages: rng.int(0, 3), payment_id: pm }];
    }
    case 8: {
      const id = res();
      const r = env.getReservation(id);
      const n = r ? r.passengers.length : 1;
      return ["update_reservation_passengers", { reservation_id: id, passengers: Array.from({ length: n }, (_, i) => ({ first_name: `N${i}`, last_name: "New", dob: "1980-02-02" })) }];
    }
    case 9: {
      const id = res();
      const r = env.getReservation(id);
      const u = r ? env.getUser(r.user_id) : undefined;
      const pm = u ? rng.pick(Object.keys(u.payment_methods)) : "credit_card_0";
      const legs = r ? r.flights.map((f) => ({ flight_number: f.flight_number, date: f.date })) : [];
      return ["update_reservation_flights", { reservation_id: id, cabin: cabin(), flights: legs, payment_id: pm }];
    }
    default:
      return ["send_certificate", { user_id: user(), amount: rng.pick([50, 100, 150]) }];
  }
}

describe("AirlineEnv caches", () => {
  it("random tool sequences: results, diff and hash equal an uncached env's; hash = hash of the canonical diff", () => {
    let writesOk = 0;
    for (let seq = 0; seq < 120; seq++) {
      const rng = createRng(1000 + seq);
      const cached = new AirlineEnv(base);
      const plain = new AirlineEnv(unfrozen);
      const pool = randomPool(rng);
      const steps = rng.int(1, 20);
      for (let i = 0; i < steps; i++) {
        const [name, args] = randomCall(rng, cached, pool);
        const a = cached.call(name, args);
        const b = plain.call(name, structuredClone(args));
        expect(a.content, `${seq}/${i} ${name}`).toBe(b.content);
        expect(a.error).toBe(b.error);
        expect(a.value).toEqual(b.value);
        if (!a.error && !name.startsWith("get_") && !name.startsWith("search_")) writesOk++;
      }
      // Repeat some reads: answers now come from the cache.
      for (let i = 0; i < 3; i++) {
        const [name, args] = randomCall(rng, cached, pool);
        if (name.startsWith("get_") || name.startsWith("search_")) expect(cached.call(name, args)).toEqual(plain.call(name, args));
      }
      const diff = cached.diff();
      expect(diff).toEqual(plain.diff());
      expect(diff).toEqual(referenceDiff(cached, base));
      expect(cached.diffText()).toBe(canonicalJson(diff));
      expect(cached.stateHash()).toBe(hashCanonical(diff));
      expect(cached.stateHash()).toBe(plain.stateHash());
    }
    // The sequences really changed state (the test would be vacuous otherwise).
    expect(writesOk).toBeGreaterThan(100);
  });

  it("values handed out by cached reads are frozen snapshots", () => {
    const env = new AirlineEnv(base);
    const f = Object.values(base.flights)[0];
    const date = Object.keys(f.dates).find((d) => f.dates[d].status === "available")!;
    const args = { origin: f.origin, destination: f.destination, date };
    const first = env.call("search_direct_flight", args);
    const again = new AirlineEnv(base).call("search_direct_flight", args);
    expect(again.content).toBe(first.content);
    expect(Object.isFrozen(again.value)).toBe(true);
    expect(() => ((again.value as unknown[]).length = 0)).toThrow();
  });

  it("a search after this env changed a flight is answered fresh, not from the cache", () => {
    const f = Object.values(base.flights).find((x) => Object.values(x.dates).some((d) => d.status === "available" && d.available_seats.economy > 2))!;
    const date = Object.keys(f.dates).find((d) => f.dates[d].status === "available" && (f.dates[d] as FlightDateAvailable).available_seats.economy > 2)!;
    const user = Object.values(base.users).find((u) => Object.values(u.payment_methods).some((p) => p.source === "credit_card"))!;
    const card = Object.values(user.payment_methods).find((p) => p.source === "credit_card")!;
    const search = { origin: f.origin, destination: f.destination, date };
    const env = new AirlineEnv(base);
    const before = env.call("search_direct_flight", search).content;
    const price = (f.dates[date] as FlightDateAvailable).prices.economy;
    const booked = env.call("book_reservation", {
      user_id: user.user_id, origin: f.origin, destination: f.destination, flight_type: "one_way", cabin: "economy",
      flights: [{ flight_number: f.flight_number, date }], passengers: [{ first_name: "A", last_name: "B", dob: "1990-01-01" }],
      payment_methods: [{ payment_id: card.id, amount: price }], total_baggages: 0, nonfree_baggages: 0, insurance: "no",
    });
    expect(booked.error, booked.content).toBe(false);
    const after = env.call("search_direct_flight", search).content;
    expect(after).not.toBe(before);
    expect(after).toBe(new AirlineEnv(unfrozen).call("search_direct_flight", search).content.replace(`"economy":${(f.dates[date] as FlightDateAvailable).available_seats.economy},`, `"economy":${(f.dates[date] as FlightDateAvailable).available_seats.economy - 1},`));
    // Another env on the same base still gets the untouched answer.
    expect(new AirlineEnv(base).call("search_direct_flight", search).content).toBe(before);
    // A search that reads none of the changed flights is still answered from the cache.
    const other = Object.values(base.flights).find((x) => x.origin !== f.origin && x.destination !== f.origin)!;
    const otherDate = Object.keys(other.dates)[20];
    const otherSearch = { origin: other.origin, destination: other.destination, date: otherDate };
    const fromFresh = new AirlineEnv(base).call("search_direct_flight", otherSearch);
    expect(env.call("search_direct_flight", otherSearch).value).toBe(fromFresh.value);
  });
});

describe("AirlineEnv caches: one-stop searches", () => {
  it("a one-stop search whose second leg this env changed is answered fresh", () => {
    const avail = (no: string, d: string) => base.flights[no].dates[d]?.status === "available" && (base.flights[no].dates[d] as FlightDateAvailable).available_seats.economy > 0;
    let found: { a: string; b: string; date: string } | undefined;
    for (const a of Object.values(base.flights)) {
      if (a.scheduled_arrival_time_est.includes("+1")) continue;
      for (const b of Object.values(base.flights)) {
        if (b.origin !== a.destination || b.destination === a.origin || b.scheduled_departure_time_est < a.scheduled_arrival_time_est) continue;
        const date = Object.keys(a.dates).find((d) => avail(a.flight_number, d) && avail(b.flight_number, d));
        if (date) found = { a: a.flight_number, b: b.flight_number, date };
        if (found) break;
      }
      if (found) break;
    }
    expect(found).toBeDefined();
    const { a, b, date } = found!;
    const user = Object.values(base.users).find((u) => Object.values(u.payment_methods).some((p) => p.source === "credit_card"))!;
    const card = Object.values(user.payment_methods).find((p) => p.source === "credit_card")!;
    const fb = base.flights[b];
    const book = {
      user_id: user.user_id, origin: fb.origin, destination: fb.destination, flight_type: "one_way", cabin: "economy",
      flights: [{ flight_number: b, date }], passengers: [{ first_name: "A", last_name: "B", dob: "1990-01-01" }],
      payment_methods: [{ payment_id: card.id, amount: (fb.dates[date] as FlightDateAvailable).prices.economy }],
      total_baggages: 0, nonfree_baggages: 0, insurance: "no",
    };
    const search = { origin: base.flights[a].origin, destination: fb.destination, date };
    const cached = new AirlineEnv(base);
    const plain = new AirlineEnv(unfrozen);
    const before = cached.call("search_onestop_flight", search).content;
    expect(before).toContain(b);
    expect(cached.call("book_reservation", book).error).toBe(false);
    expect(plain.call("book_reservation", book).error).toBe(false);
    const after = cached.call("search_onestop_flight", search).content;
    expect(after).toBe(plain.call("search_onestop_flight", search).content);
    expect(after).not.toBe(before);
  });
});

describe("canonicalJsonMemo", () => {
  it("equals canonicalJson on random nested values, frozen or not", () => {
    const rng = createRng(7);
    const gen = (depth: number): unknown => {
      const k = rng.int(0, depth > 3 ? 3 : 6);
      if (k === 0) return rng.int(-5, 5);
      if (k === 1) return rng.pick(["a", 'q"uote', "é", ""]);
      if (k === 2) return rng.pick([null, true, false, undefined, 1.5]);
      if (k === 3) return rng.chance(0.5) ? "x".repeat(rng.int(0, 80)) : rng.next();
      if (k === 4) return Array.from({ length: rng.int(0, 4) }, () => gen(depth + 1));
      const o: Record<string, unknown> = {};
      for (let i = rng.int(0, 5); i > 0; i--) o[rng.pick(["b", "a", "z", "long_key_name", "10", "2"])] = gen(depth + 1);
      return o;
    };
    for (let i = 0; i < 400; i++) {
      const v = gen(0);
      if (rng.chance(0.5) && v && typeof v === "object") deepFreeze(v);
      expect(canonicalJsonMemo(v)).toBe(canonicalJson(v));
      expect(canonicalJsonMemo(v)).toBe(canonicalJson(v));
    }
  });

  it("never reuses the text of a frozen object whose child is not frozen", () => {
    const child = { seats: 5, note: "a child that is mutable, long enough to be memoised if it were frozen" };
    const parent = Object.freeze({ child, other: Object.freeze({ k: "some frozen text that is long enough to be kept in the memo" }) });
    const first = canonicalJsonMemo(parent);
    child.seats = 4;
    expect(canonicalJsonMemo(parent)).toBe(canonicalJson(parent));
    expect(canonicalJsonMemo(parent)).not.toBe(first);
  });
});
