/** Summary statistics of an airline state (for comparing the generated state with τ²'s). */
import { CABINS, TODAY, type AirlineState, type Cabin } from "./schema";

export interface StateStats {
  flights: number;
  users: number;
  reservations: number;
  routes: number;
  airports: number;
  dates: number;
  price: Record<Cabin, { min: number; max: number; mean: number }>;
  seats: Record<Cabin, { min: number; max: number; mean: number }>;
  todayStatuses: Record<string, number>;
  pastCancelledShare: number;
  membership: Record<string, number>;
  paymentSources: Record<string, number>;
  passengersMean: number;
  segmentsMean: number;
}

export function measureStateStats(state: AirlineState): StateStats {
  const routes = new Set<string>();
  const airports = new Set<string>();
  const dates = new Set<string>();
  const price = {} as StateStats["price"];
  const seats = {} as StateStats["seats"];
  const acc = Object.fromEntries(CABINS.map((c) => [c, { p: [] as number[], s: [] as number[] }])) as Record<Cabin, { p: number[]; s: number[] }>;
  const today: Record<string, number> = {};
  let past = 0;
  let pastCancelled = 0;
  for (const f of Object.values(state.flights)) {
    routes.add(`${f.origin}-${f.destination}`);
    airports.add(f.origin).add(f.destination);
    for (const [date, d] of Object.entries(f.dates)) {
      dates.add(date);
      if (date === TODAY) today[d.status] = (today[d.status] ?? 0) + 1;
      if (date < TODAY) {
        past++;
        if (d.status === "cancelled") pastCancelled++;
      }
      if (d.status === "available") for (const c of CABINS) {
        acc[c].p.push(d.prices[c]);
        acc[c].s.push(d.available_seats[c]);
      }
    }
  }
  const summary = (xs: number[]) => ({
    min: xs.reduce((a, b) => Math.min(a, b), Infinity),
    max: xs.reduce((a, b) => Math.max(a, b), -Infinity),
    mean: xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length),
  });
  for (const c of CABINS) {
    price[c] = summary(acc[c].p);
    seats[c] = summary(acc[c].s);
  }
  const membership: Record<string, number> = {};
  const paymentSources: Record<string, number> = {};
  for (const u of Object.values(state.users)) {
    membership[u.membership] = (membership[u.membership] ?? 0) + 1;
    for (const pm of Object.values(u.payment_methods)) paymentSources[pm.source] = (paymentSources[pm.source] ?? 0) + 1;
  }
  const res = Object.values(state.reservations);
  return {
    flights: Object.keys(state.flights).length,
    users: Object.keys(state.users).length,
    reservations: res.length,
    routes: routes.size,
    airports: airports.size,
    dates: dates.size,
    price,
    seats,
    todayStatuses: today,
    pastCancelledShare: pastCancelled / Math.max(1, past),
    membership,
    paymentSources,
    passengersMean: res.reduce((s, r) => s + r.passengers.length, 0) / Math.max(1, res.length),
    segmentsMean: res.reduce((s, r) => s + r.flights.length, 0) / Math.max(1, res.length),
  };
}
