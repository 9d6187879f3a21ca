/**
 * AirlineEnv: one rollout's view of the airline database and the tools that act on it.
 * Reads go to an overlay of records this rollout changed, falling back to the shared base
 * state, which is never mutated (records.ts); the write tools are in writes.ts, the flight
 * searches in searches.ts. This file dispatches a tool call and answers base-only reads
 * from the per-base read cache (read-cache.ts).
 *
 * Tool semantics follow τ²-bench's airline toolkit (src/tau2/domains/airline/tools.py,
 * release-era behaviour: exact-match id lookups), including what it does not check.
 */
import { argNumber, argString, checkKeywordArgs, ToolError } from "../args";
import { calculateExpression, CalcError } from "../calculate";
import { indexFor, onestopOrigins } from "./base-index";
import { getCachedRead, putCachedRead } from "./read-cache";
import { has, reservationView } from "./records";
import { searchDirect, searchOnestop } from "./searches";
import { AirlineWrites } from "./writes";

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

export class AirlineEnv extends AirlineWrites {
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
        return searchDirect(this, argString(a, "date"), argString(a, "origin"), argString(a, "destination"));
      case "search_onestop_flight":
        return searchOnestop(this, argString(a, "origin"), argString(a, "destination"), argString(a, "date"));
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
}
