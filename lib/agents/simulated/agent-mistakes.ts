/**
 * The wrong write arguments a simulated agent produces: a slip (one detail the system
 * rejects, fixed from its error message) and a corruption (wrong arguments that may well go
 * through, the mistake of an agent that did not check). Both draw from the agent's own rng.
 */
import type { Rng } from "../../random/prng";
import type { ToolAction } from "../../synthesis/spec";

/**
 * A first write attempt with one detail the system rejects (a payment amount that does not
 * add up, a payment id that is not on file, one passenger too few, a mistyped user id): the
 * other arguments are right, so the call is a partial (soft) match of the gold write, and the
 * tool's error tells the agent what to fix. Careful agents make these slips too. Null when
 * the write has no such detail (cancel_reservation's only argument is the id).
 */
export function slipArgs(a: ToolAction, rng: Rng): ToolAction | null {
  const args = structuredClone(a.arguments) as Record<string, unknown>;
  switch (a.name) {
    case "book_reservation": {
      const pm = args.payment_methods as { amount: number }[];
      pm[0].amount += rng.pick([10, 50, 100]);
      break;
    }
    case "update_reservation_flights":
    case "update_reservation_baggages":
      args.payment_id = `${String(args.payment_id).replace(/_\d+$/, "")}_${rng.int(1000000, 9999999)}`;
      break;
    case "update_reservation_passengers": {
      const pax = args.passengers as unknown[];
      if (pax.length > 1) pax.pop();
      else pax.push(pax[0]);
      break;
    }
    case "send_certificate":
      args.user_id = `${String(args.user_id)}x`;
      break;
    default:
      return null;
  }
  return { name: a.name, arguments: args };
}

/**
 * Wrong arguments for a write, of the kind a careless agent gets wrong: an amount, the
 * non-free bag count, a date of birth, the cabin or payment id, or (for a cancellation)
 * another of the reservations it has read (`reservationIds`, in reading order).
 */
export function corruptArgs(a: ToolAction, rng: Rng, reservationIds: readonly string[]): ToolAction {
  const args = structuredClone(a.arguments) as Record<string, unknown>;
  switch (a.name) {
    case "book_reservation": {
      const pick = rng.int(0, 2);
      if (pick === 0) {
        const pm = args.payment_methods as { payment_id: string; amount: number }[];
        pm[0].amount += 50;
      } else if (pick === 1) args.nonfree_baggages = Number(args.total_baggages);
      else {
        const pax = args.passengers as { dob: string }[];
        pax[pax.length - 1].dob = "1990-01-01";
      }
      break;
    }
    case "update_reservation_flights":
      if (rng.chance(0.5)) args.cabin = args.cabin === "economy" ? "business" : "economy";
      else args.payment_id = "credit_card_0000000";
      break;
    case "update_reservation_baggages":
      if (rng.chance(0.5)) args.nonfree_baggages = Number(args.total_baggages);
      else args.total_baggages = Number(args.total_baggages) + 1;
      break;
    case "update_reservation_passengers": {
      const pax = args.passengers as { dob: string }[];
      pax[0] = { ...pax[0], dob: "1980-01-01" };
      break;
    }
    case "send_certificate":
      args.amount = Number(args.amount) / 2;
      break;
    case "cancel_reservation": {
      const others = reservationIds.filter((id) => id !== args.reservation_id);
      args.reservation_id = others.length ? rng.pick(others) : "ZZZZZZ";
      break;
    }
    default: {
      const keys = Object.keys(args);
      if (keys.length) delete args[keys[rng.int(0, keys.length - 1)]];
    }
  }
  return { name: a.name, arguments: args };
}
