/**
 * The project's own airline database: same schema as τ²'s and similar statistics (300
 * flights on 108 routes over 20 airports, 30 days, 500 users, 2,000 reservations), built
 * from a seeded PRNG so a seed always yields the same state. Used when no τ² domain
 * directory is given. Sizes are configurable; results are memoised and deep-frozen.
 */
import { deepFreeze } from "./freeze";
import { createCache } from "../cache/lru";
import { createRng } from "../random/prng";
import { buildFlights, buildRoutes } from "./generate-flights";
import { buildReservations } from "./generate-reservations";
import { buildUsers } from "./generate-users";
import type { AirlineState } from "./schema";

export const DEFAULT_STATE_SEED = 20240515;

export interface GenerateOptions {
  seed?: number;
  flights?: number;
  users?: number;
  reservations?: number;
  /** Directed routes (each undirected pair is served both ways). Default 108, as in τ². */
  routes?: number;
}

// A generated state is ~7 MB and callers share it by identity (per-base caches are keyed on
// the object), so a handful of seeds/sizes stay; others are regenerated (same content).
const memo = createCache<AirlineState>({
  name: "airline.generated-states",
  maxEntries: 8,
  purpose: "deep-frozen generated airline states by seed and sizes (each takes seconds to build)",
});

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
