import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AirlineEnv } from "./toolkit/airline-env";
import { hashCanonical } from "./canonical";
import { checkStateConsistency } from "./consistency";
import { FREE_BAGS } from "./fares";
import { DEFAULT_STATE_SEED, generateAirlineState, getGeneratedState } from "./generate";
import { METRO_AREAS } from "./airports";
import { loadDomainDir } from "./load";
import { measureStateStats, type StateStats } from "./stats";
import { TODAY, airlineStateSchema } from "./schema";
import { TAU2_DIR } from "./testing/fixture";

/** sha256 of the canonical default state: changes only when the generator changes on purpose. */
const DEFAULT_STATE_HASH = "9c42014e59505b4324eba3e6f6efeb7a99c2f1810b6df39094113f8d26ae1275";

describe("generated airline state", () => {
  const state = getGeneratedState();

  it("is stable at the default seed, memoised, frozen and different for another seed", () => {
    expect(DEFAULT_STATE_SEED).toBe(20240515);
    expect(hashCanonical(state)).toBe(DEFAULT_STATE_HASH);
    expect(getGeneratedState()).toBe(state);
    expect(Object.isFrozen(state.reservations)).toBe(true);
    expect(hashCanonical(generateAirlineState({ seed: 3, flights: 40, users: 30, reservations: 50 }))).toBe(
      "639bbcc56d7541fbefb3ce5ec6c4e65536a4fb236cb57a1eee05bd52c2b59842",
    );
    expect(hashCanonical(getGeneratedState(DEFAULT_STATE_SEED + 1))).not.toBe(DEFAULT_STATE_HASH);
  });

  it("matches the schema and passes the consistency check", () => {
    expect(airlineStateSchema.safeParse(state).success).toBe(true);
    expect(checkStateConsistency(state)).toEqual([]);
  });

  it("has τ²'s shape: sizes, dates, status pattern around today, metro airports", () => {
    const s = measureStateStats(state);
    expect([s.flights, s.users, s.reservations, s.routes, s.airports, s.dates]).toEqual([300, 500, 2000, 108, 20, 30]);
    for (const f of Object.values(state.flights)) {
      for (const [date, d] of Object.entries(f.dates)) {
        if (date < TODAY) expect(["landed", "cancelled"]).toContain(d.status);
        else if (date === TODAY) expect(["landed", "delayed", "flying", "on time"]).toContain(d.status);
        else expect(d.status).toBe("available");
      }
    }
    expect(Object.keys(s.todayStatuses).sort()).toEqual(["delayed", "flying", "landed", "on time"]);
    expect(METRO_AREAS["New York"]).toEqual(["JFK", "LGA", "EWR"]);
    const origins = new Set(Object.values(state.flights).map((f) => f.origin));
    for (const area of Object.values(METRO_AREAS)) for (const a of area) expect(origins.has(a)).toBe(true);
  });

  it("keeps payments equal to the price rule and bags within the free allowance", () => {
    for (const r of Object.values(state.reservations)) {
      const pax = r.passengers.length;
      const due = r.flights.reduce((s, f) => s + f.price, 0) * pax + (r.insurance === "yes" ? 30 * pax : 0) + 50 * r.nonfree_baggages;
      expect(r.payment_history.reduce((s, p) => s + p.amount, 0)).toBe(due);
      const user = state.users[r.user_id];
      expect(user.reservations).toContain(r.reservation_id);
      expect(user.payment_methods[r.payment_history[0].payment_id]).toBeDefined();
      expect(r.total_baggages).toBeLessThanOrEqual(FREE_BAGS[user.membership][r.cabin] * pax);
    }
  });

  it("works as an environment base (oracle-style booking succeeds)", () => {
    const env = new AirlineEnv(state);
    const found = JSON.parse(env.call("search_direct_flight", { origin: "JFK", destination: Object.values(state.flights).find((f) => f.origin === "JFK")!.destination, date: "2024-05-20" }).content);
    expect(Array.isArray(found)).toBe(true);
  });

  // Generation speed is measured in bench/airline.ts, not asserted here.
  it("honours configurable sizes", () => {
    const small = generateAirlineState({ seed: 11, flights: 50, users: 40, reservations: 100 });
    expect([Object.keys(small.flights).length, Object.keys(small.users).length, Object.keys(small.reservations).length]).toEqual([50, 40, 100]);
    expect(checkStateConsistency(small)).toEqual([]);
  });
});

const haveTau2 = existsSync(TAU2_DIR);
if (!haveTau2) console.warn(`[airline] τ² data folder ${TAU2_DIR} absent: skipping generated-vs-τ² statistics test`);
describe.skipIf(!haveTau2)("generated state vs τ² statistics", () => {
  it("counts, price ranges, seat ranges and mixes are within 10% of τ²'s", () => {
    const ours = measureStateStats(getGeneratedState());
    const tau2 = measureStateStats(loadDomainDir(TAU2_DIR).state);
    const near = (a: number, b: number, what: string) => expect(Math.abs(a - b) / Math.max(1e-9, Math.abs(b)), `${what}: ${a} vs ${b}`).toBeLessThanOrEqual(0.1);
    for (const k of ["flights", "users", "reservations", "routes", "airports", "dates", "passengersMean", "segmentsMean"] as const) near(ours[k], tau2[k], k);
    for (const c of ["basic_economy", "economy", "business"] as const) {
      for (const m of ["min", "max", "mean"] as const) {
        near(ours.price[c][m], tau2.price[c][m], `price ${c} ${m}`);
        if (m !== "min") near(ours.seats[c][m], tau2.seats[c][m], `seats ${c} ${m}`);
      }
    }
    const share = (s: StateStats, k: string) => (s.todayStatuses[k] ?? 0) / 300;
    for (const k of ["landed", "flying", "on time", "delayed"]) expect(Math.abs(share(ours, k) - share(tau2, k)), k).toBeLessThanOrEqual(0.1);
    expect(Math.abs(ours.pastCancelledShare - tau2.pastCancelledShare)).toBeLessThanOrEqual(0.02);
  });
});
