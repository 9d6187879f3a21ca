/**
 * The project's own airline database: same schema as τ²'s and similar statistics (300
 * flights on 108 routes over 20 airports, 30 days, 500 users, 2,000 reservations), built
 * from a seeded PRNG so a seed always yields the same state. Used when no τ² domain
 * directory is given. Sizes are configurable; results are memoised and deep-frozen.
 */
import { AIRPORTS } from "./airports";
import { deepFreeze } from "./freeze";
import { createRng, type Rng } from "./prng";
import {
  CABINS,
  TODAY,
  type AirlineState,
  type Cabin,
  type Flight,
  type FlightDateStatus,
  type Membership,
  type Passenger,
  type PaymentMethod,
  type Reservation,
  type ReservationFlight,
  type User,
} from "./schema";

export const DEFAULT_STATE_SEED = 20240515;

export interface GenerateOptions {
  seed?: number;
  flights?: number;
  users?: number;
  reservations?: number;
  /** Directed routes (each undirected pair is served both ways). Default 108, as in τ². */
  routes?: number;
}

/** τ²'s price ranges per cabin (dollars per passenger per segment). */
export const PRICE_RANGES: Record<Cabin, [number, number]> = {
  basic_economy: [50, 100],
  economy: [100, 200],
  business: [200, 500],
};
export const MAX_SEATS = 20;
export const FIRST_DATE = "2024-05-01";
export const DAYS = 30;
export const FREE_BAGS: Record<Membership, Record<Cabin, number>> = {
  regular: { basic_economy: 0, economy: 1, business: 2 },
  silver: { basic_economy: 1, economy: 2, business: 3 },
  gold: { basic_economy: 2, economy: 3, business: 4 },
};

const FIRST_NAMES = [
  "Olivia", "Liam", "Emma", "Noah", "Ava", "Ethan", "Sophia", "Mason", "Isabella", "Lucas", "Mia", "Logan",
  "Amelia", "James", "Harper", "Aiden", "Evelyn", "Elijah", "Abigail", "Daniel", "Emily", "Henry", "Ella",
  "Jackson", "Scarlett", "Samuel", "Grace", "Sebastian", "Chloe", "David", "Lily", "Joseph", "Aria", "Omar",
  "Priya", "Ravi", "Yusuf", "Fatima", "Hana", "Kenji", "Mei", "Wei", "Sofia", "Mateo", "Valentina", "Diego",
  "Camila", "Leon", "Nora", "Ivan", "Zara", "Arjun", "Aisha", "Tomas", "Ingrid", "Kofi", "Amara", "Lena", "Malik", "Rosa",
];
const LAST_NAMES = [
  "Garcia", "Smith", "Johnson", "Nguyen", "Patel", "Kim", "Chen", "Lopez", "Brown", "Davis", "Wilson", "Martinez",
  "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "White", "Harris", "Clark", "Lewis", "Walker", "Hall", "Young",
  "Allen", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Roberts",
  "Carter", "Phillips", "Evans", "Turner", "Torres", "Parker", "Collins", "Edwards", "Stewart", "Morris", "Murphy",
  "Cook", "Rogers", "Morgan", "Cooper", "Peterson", "Reed", "Bailey", "Bell", "Gomez", "Kelly", "Howard", "Ward", "Cox",
];
const STREETS = ["Maple Avenue", "Oak Street", "Cedar Lane", "Pine Road", "Elm Street", "Lakeview Drive", "Hillcrest Road", "River Road", "Park Avenue", "Sunset Boulevard", "Willow Way", "Main Street"];
const CITIES: [string, string, string][] = [
  ["Austin", "TX", "787"], ["Denver", "CO", "802"], ["Portland", "OR", "972"], ["Columbus", "OH", "432"],
  ["Phoenix", "AZ", "850"], ["Charlotte", "NC", "282"], ["Seattle", "WA", "981"], ["Boston", "MA", "021"],
  ["Chicago", "IL", "606"], ["Miami", "FL", "331"], ["San Diego", "CA", "921"], ["New York", "NY", "100"],
  ["Atlanta", "GA", "303"], ["Nashville", "TN", "372"], ["Philadelphia", "PA", "191"], ["Houston", "TX", "770"],
];
const CARD_BRANDS = ["visa", "mastercard"];
const CERT_AMOUNTS = [100, 150, 250, 500];
const RES_ID_CHARS = [..."ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"];

const pad = (n: number, w = 2): string => String(n).padStart(w, "0");

export function dateAt(dayIndex: number): string {
  return `2024-05-${pad(dayIndex + 1)}`;
}
const DATES = Array.from({ length: DAYS }, (_, i) => dateAt(i));
const TODAY_INDEX = DATES.indexOf(TODAY);
const NOW_MIN = 15 * 60;

/** "YYYY-MM-DDTHH:MM:SS" for a minute offset from the start of `date` (may roll into the next day). */
function stamp(date: string, minutes: number): string {
  // Date.UTC carries minute overflow (and negatives) into hours, days and months; no string parse.
  const ms = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)), 0, minutes);
  return new Date(ms).toISOString().slice(0, 19);
}

function buildRoutes(rng: Rng, routes: number): [string, string][] {
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

interface FlightMeta {
  no: string;
  origin: string;
  destination: string;
  depMin: number;
  arrMin: number; // may exceed 24 h (next day)
}

function buildFlights(rng: Rng, count: number, routes: [string, string][]): { flights: Record<string, Flight>; meta: FlightMeta[] } {
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

function personName(rng: Rng): { first_name: string; last_name: string } {
  return { first_name: rng.pick(FIRST_NAMES), last_name: rng.pick(LAST_NAMES) };
}

function dob(rng: Rng, fromYear: number, toYear: number): string {
  return `${rng.int(fromYear, toYear)}-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}`;
}

function buildUsers(rng: Rng, count: number): User[] {
  const ids = new Set<string>();
  const paymentIds = new Set<string>();
  const newPaymentId = (source: string): string => {
    let id: string;
    do id = `${source}_${rng.int(1000000, 9999999)}`;
    while (paymentIds.has(id) || id === "certificate_3221322" || id === "certificate_3221323" || id === "certificate_3221324");
    paymentIds.add(id);
    return id;
  };
  const users: User[] = [];
  for (let i = 0; i < count; i++) {
    const name = personName(rng);
    let userId: string;
    do userId = `${name.first_name.toLowerCase()}_${name.last_name.toLowerCase()}_${rng.int(1000, 9999)}`;
    while (ids.has(userId));
    ids.add(userId);
    const [city, state, zipPrefix] = rng.pick(CITIES);
    const nMethods = rng.weighted([[1, 80], [2, 142], [3, 111], [4, 90], [5, 41], [6, 28], [7, 8]] as const);
    const methods: Record<string, PaymentMethod> = {};
    for (let m = 0; m < nMethods; m++) {
      // The first method can always pay for a booking (credit or gift card).
      // Later methods lean to certificates so the overall mix stays about one third each (as in τ²).
      const source =
        m === 0
          ? rng.pick(["credit_card", "gift_card"] as const)
          : rng.weighted([["credit_card", 0.265], ["gift_card", 0.265], ["certificate", 0.47]] as const);
      const id = newPaymentId(source);
      if (source === "credit_card") methods[id] = { source, id, brand: rng.pick(CARD_BRANDS), last_four: pad(rng.int(0, 9999), 4) };
      else if (source === "gift_card") methods[id] = { source, id, amount: rng.int(0, 300) };
      else methods[id] = { source, id, amount: rng.pick(CERT_AMOUNTS) };
    }
    const saved: Passenger[] = [];
    const nSaved = rng.chance(0.34) ? 2 : 1;
    for (let s = 0; s < nSaved; s++) saved.push({ ...personName(rng), dob: dob(rng, 1945, 2010) });
    users.push({
      user_id: userId,
      name,
      address: {
        address1: `${rng.int(100, 9999)} ${rng.pick(STREETS)}`,
        address2: rng.chance(0.5) ? `Suite ${rng.int(100, 999)}` : `Apt ${rng.int(1, 99)}`,
        city,
        country: "USA",
        state,
        zip: `${zipPrefix}${pad(rng.int(0, 99))}`,
      },
      email: `${name.first_name.toLowerCase()}.${name.last_name.toLowerCase()}${rng.int(1000, 9999)}@example.com`,
      dob: dob(rng, 1950, 2004),
      payment_methods: methods,
      saved_passengers: saved,
      membership: rng.weighted([["regular", 143], ["silver", 182], ["gold", 175]] as const),
      reservations: [],
    });
  }
  return users;
}

function segmentPrice(rng: Rng, flight: Flight, date: string, cabin: Cabin): number {
  const d = flight.dates[date];
  return d.status === "available" ? d.prices[cabin] : rng.int(...PRICE_RANGES[cabin]);
}

/** An itinerary origin → destination on day `day`: direct, or two legs via a hub. */
function itinerary(
  rng: Rng,
  byOrigin: Map<string, FlightMeta[]>,
  origin: string,
  day: number,
  twoLegs: boolean,
): { legs: { m: FlightMeta; day: number }[]; destination: string } | null {
  const firsts = byOrigin.get(origin) ?? [];
  if (firsts.length === 0) return null;
  const m1 = rng.pick(firsts);
  if (!twoLegs) return { legs: [{ m: m1, day }], destination: m1.destination };
  const day2 = m1.arrMin >= 24 * 60 ? day + 1 : day;
  const arrOfDay = m1.arrMin % (24 * 60);
  const seconds = (byOrigin.get(m1.destination) ?? []).filter((m) => m.destination !== origin && m.depMin >= arrOfDay);
  if (seconds.length === 0 || day2 >= DAYS) return null;
  const m2 = rng.pick(seconds);
  return { legs: [{ m: m1, day }, { m: m2, day: day2 }], destination: m2.destination };
}

/** Find the flights back from `to` to `from` (direct or one stop) on `day`. */
function returnTrip(rng: Rng, byOrigin: Map<string, FlightMeta[]>, from: string, to: string, day: number, twoLegs: boolean): { m: FlightMeta; day: number }[] | null {
  const firsts = byOrigin.get(to) ?? [];
  if (!twoLegs) {
    const direct = firsts.filter((m) => m.destination === from);
    return direct.length ? [{ m: rng.pick(direct), day }] : null;
  }
  const options: { m: FlightMeta; day: number }[][] = [];
  for (const m1 of firsts) {
    if (m1.destination === from) continue;
    const day2 = m1.arrMin >= 24 * 60 ? day + 1 : day;
    if (day2 >= DAYS) continue;
    for (const m2 of byOrigin.get(m1.destination) ?? []) {
      if (m2.destination === from && m2.depMin >= m1.arrMin % (24 * 60)) options.push([{ m: m1, day }, { m: m2, day: day2 }]);
    }
  }
  return options.length ? rng.pick(options) : null;
}

function buildReservations(rng: Rng, count: number, users: User[], flights: Record<string, Flight>, meta: FlightMeta[]): Reservation[] {
  const byOrigin = new Map<string, FlightMeta[]>();
  for (const m of meta) {
    const list = byOrigin.get(m.origin) ?? [];
    list.push(m);
    byOrigin.set(m.origin, list);
  }
  const origins = [...byOrigin.keys()];
  // Exponential weights give a spread of reservations per user, some with none (as in τ²).
  const weights = users.map((u, i) => [i, -Math.log(1 - rng.next())] as const);
  const ids = new Set<string>();
  const out: Reservation[] = [];
  let guard = 0;
  while (out.length < count && guard++ < count * 50) {
    const user = users[rng.weighted(weights)];
    // Pick the trip's shape first and retry it until it fits, so shapes keep τ²'s mix.
    const oneWay = rng.chance(0.52);
    const twoLegs = rng.chance(oneWay ? 0.7 : 0.6);
    const backTwoLegs = oneWay ? false : rng.chance(0.85) ? twoLegs : !twoLegs;
    let legs: { m: FlightMeta; day: number }[] | null = null;
    let origin = "";
    let destination = "";
    for (let attempt = 0; attempt < 40 && !legs; attempt++) {
      origin = rng.pick(origins);
      const day = rng.int(0, DAYS - 1);
      const out1 = itinerary(rng, byOrigin, origin, day, twoLegs);
      if (!out1 || out1.destination === origin) continue;
      destination = out1.destination;
      if (oneWay) {
        legs = out1.legs;
        break;
      }
      const backDay = out1.legs[out1.legs.length - 1].day + rng.int(1, 7);
      if (backDay >= DAYS) continue;
      const back = returnTrip(rng, byOrigin, origin, out1.destination, backDay, backTwoLegs);
      if (back) legs = [...out1.legs, ...back];
    }
    if (!legs) continue;
    const cabin = rng.pick(CABINS);
    const nPax = rng.weighted([[1, 920], [2, 662], [3, 323], [4, 95]] as const);
    const passengers: Passenger[] = [];
    if (rng.chance(0.7)) passengers.push({ ...user.name, dob: user.dob });
    for (const p of user.saved_passengers) if (passengers.length < nPax && rng.chance(0.5)) passengers.push({ ...p });
    while (passengers.length < nPax) passengers.push({ ...personName(rng), dob: dob(rng, 1945, 2015) });
    const segs: ReservationFlight[] = legs.map(({ m, day: d }) => ({
      origin: m.origin,
      destination: m.destination,
      flight_number: m.no,
      date: DATES[d],
      price: segmentPrice(rng, flights[m.no], DATES[d], cabin),
    }));
    const insurance = rng.chance(0.5) ? "yes" : "no";
    const free = FREE_BAGS[user.membership][cabin] * nPax;
    const totalBags = Math.min(free, rng.weighted([[0, 1075], [1, 433], [2, 277], [3, 99], [4, 71], [5, 19], [6, 19]] as const));
    const total = segs.reduce((s, f) => s + f.price, 0) * nPax + (insurance === "yes" ? 30 * nPax : 0);
    const payers = Object.values(user.payment_methods).filter((p) => p.source !== "certificate");
    const payer = rng.pick(payers);
    let id: string;
    do id = Array.from({ length: 6 }, () => rng.pick(RES_ID_CHARS)).join("");
    while (ids.has(id) || id.startsWith("HATHA"));
    ids.add(id);
    // Booked before the first flight, between 2024-04-30 and the end of 05-14.
    const firstDay = legs[0].day;
    const latestMin = Math.min(15, firstDay + 1) * 24 * 60 - 1;
    const created = stamp("2024-04-30", rng.int(0, latestMin));
    out.push({
      reservation_id: id,
      user_id: user.user_id,
      origin,
      destination,
      flight_type: oneWay ? "one_way" : "round_trip",
      cabin,
      flights: segs,
      passengers,
      payment_history: [{ payment_id: payer.id, amount: total }],
      created_at: created,
      total_baggages: totalBags,
      nonfree_baggages: 0,
      insurance,
    });
    user.reservations.push(id);
  }
  return out;
}

const memo = new Map<string, AirlineState>();

export function generateAirlineState(opts: GenerateOptions = {}): AirlineState {
  const seed = opts.seed ?? DEFAULT_STATE_SEED;
  const sizes = { flights: opts.flights ?? 300, users: opts.users ?? 500, reservations: opts.reservations ?? 2000, routes: opts.routes ?? 108 };
  const key = JSON.stringify([seed, sizes]);
  const hit = memo.get(key);
  if (hit) return hit;
  const rng = createRng(seed);
  const routes = buildRoutes(rng, Math.min(sizes.routes, Math.max(1, sizes.flights)));
  const { flights, meta } = buildFlights(rng, sizes.flights, routes);
  const users = buildUsers(rng, sizes.users);
  const reservations = sizes.users > 0 && sizes.flights > 0 ? buildReservations(rng, sizes.reservations, users, flights, meta) : [];
  const state: AirlineState = {
    flights,
    users: Object.fromEntries(users.map((u) => [u.user_id, u])),
    reservations: Object.fromEntries(reservations.map((r) => [r.reservation_id, r])),
  };
  deepFreeze(state);
  memo.set(key, state);
  return state;
}

/** The generated state for a seed with default sizes (memoised; never mutate it). */
export function getGeneratedState(seed: number = DEFAULT_STATE_SEED): AirlineState {
  return generateAirlineState({ seed });
}
