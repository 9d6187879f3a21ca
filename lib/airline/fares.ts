/** τ²'s fare and baggage numbers, shared by the generator and the policy checker. */
import type { Cabin, Membership } from "./schema";

/** τ²'s price ranges per cabin (dollars per passenger per segment). */
export const PRICE_RANGES: Record<Cabin, [number, number]> = {
  basic_economy: [50, 100],
  economy: [100, 200],
  business: [200, 500],
};
export const MAX_SEATS = 20;
export const FREE_BAGS: Record<Membership, Record<Cabin, number>> = {
  regular: { basic_economy: 0, economy: 1, business: 2 },
  silver: { basic_economy: 1, economy: 2, business: 3 },
  gold: { basic_economy: 2, economy: 3, business: 4 },
};
