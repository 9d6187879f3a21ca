/** Generated reservations: one-way and round trips (direct or one stop) on the generated flights, paid by their users. */
import { PRICE_RANGES, FREE_BAGS } from "./fares";
import { DAYS, DATES, stamp, type FlightMeta } from "./generate-flights";
import { dob, personName } from "./generate-users";
import type { Rng } from "../random/prng";
import { type Cabin, type Flight, type Passenger, type Reservation, type ReservationFlight, type User, CABINS } from "./schema";

const RES_ID_CHARS = [..."ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"];

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

export function buildReservations(rng: Rng, count: number, users: User[], flights: Record<string, Flight>, meta: FlightMeta[]): Reservation[] {
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
